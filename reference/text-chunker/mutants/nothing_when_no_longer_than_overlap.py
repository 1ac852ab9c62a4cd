# Starts chunks at range(0, len(tokens) - overlap, step): right, except that tokens no longer than overlap give [] instead of one chunk.
def chunk(tokens, size, overlap):
    if size < 1 or overlap < 0 or overlap >= size:
        raise ValueError("need size >= 1 and 0 <= overlap < size")
    step = size - overlap
    return [tokens[start:start + size] for start in range(0, len(tokens) - overlap, step)]
