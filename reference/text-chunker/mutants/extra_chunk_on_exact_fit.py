# Off by one at the end: loops while a whole window fits (<=), then adds the rest, so when the windows fit exactly it adds one more chunk, wholly inside the last.
def chunk(tokens, size, overlap):
    if size < 1 or overlap < 0 or overlap >= size:
        raise ValueError("need size >= 1 and 0 <= overlap < size")
    step = size - overlap
    chunks = []
    start = 0
    while start + size <= len(tokens):
        chunks.append(tokens[start:start + size])
        start += step
    if start < len(tokens):
        chunks.append(tokens[start:])
    return chunks
