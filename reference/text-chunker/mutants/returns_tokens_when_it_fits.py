# Returns [tokens] itself when it fits in one window, an alias: appending to that chunk changes the caller's tokens.
def chunk(tokens, size, overlap):
    if size < 1 or overlap < 0 or overlap >= size:
        raise ValueError("need size >= 1 and 0 <= overlap < size")
    if len(tokens) <= size:
        return [tokens] if tokens else []
    step = size - overlap
    chunks = []
    start = 0
    while start < len(tokens):
        chunks.append(tokens[start:start + size])
        if start + size >= len(tokens):
            break
        start += step
    return chunks
