import io


def reverse_string(text: str) -> str:
    buffer = io.StringIO()
    index = len(text)
    while index:
        index -= 1
        buffer.write(text[index])
    return buffer.getvalue()
