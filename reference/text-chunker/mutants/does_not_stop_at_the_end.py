# Starts a chunk at every multiple of step below len(tokens), not stopping at the first chunk that reaches the end, so the last chunks lie wholly inside the one before.
def chunk(tokens, size, overlap):
    if size < 1 or overlap < 0 or overlap >= size:
        raise ValueError("need size >= 1 and 0 <= overlap < size")
    step = size - overlap
    return [tokens[start:start + size] for start in range(0, len(tokens), step)]
