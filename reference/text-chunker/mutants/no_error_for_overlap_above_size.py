# Does not check overlap >= size: overlap == size happens to raise ValueError from range() (a step of 0), but overlap > size returns [].
def chunk(tokens, size, overlap):
    if size < 1 or overlap < 0:
        raise ValueError("need size >= 1 and overlap >= 0")
    step = size - overlap
    chunks = []
    for start in range(0, len(tokens), step):
        chunks.append(tokens[start:start + size])
        if start + size >= len(tokens):
            break
    return chunks
