# Slides one window list and appends that same list for every chunk, so every chunk is one list, modified after it was added, holding the last window.
def chunk(tokens, size, overlap):
    if size < 1 or overlap < 0 or overlap >= size:
        raise ValueError("need size >= 1 and 0 <= overlap < size")
    step = size - overlap
    chunks = []
    window = []
    start = 0
    while start < len(tokens):
        window[:] = tokens[start:start + size]
        chunks.append(window)
        if start + size >= len(tokens):
            break
        start += step
    return chunks
