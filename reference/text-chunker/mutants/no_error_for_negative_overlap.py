# Does not raise ValueError for overlap < 0: the step grows past size and tokens between the chunks are skipped.
def chunk(tokens, size, overlap):
    if size < 1 or overlap >= size:
        raise ValueError("need size >= 1 and overlap < size")
    step = size - overlap
    chunks = []
    start = 0
    while start < len(tokens):
        chunks.append(tokens[start:start + size])
        if start + size >= len(tokens):
            break
        start += step
    return chunks
