"""Reference text chunker: slice each window once, O(total length of the chunks)."""


def chunk(tokens: list, size: int, overlap: int) -> list[list]:
    if size < 1 or overlap < 0 or overlap >= size:
        raise ValueError("need size >= 1 and 0 <= overlap < size")
    step = size - overlap
    chunks = []
    start = 0
    while start < len(tokens):
        chunks.append(tokens[start:start + size])   # a slice is a new list
        if start + size >= len(tokens):             # this chunk reaches the end: the last one
            break
        start += step
    return chunks
