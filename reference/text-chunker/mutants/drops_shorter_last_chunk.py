# Emits only whole windows (range(0, len - size + 1, step)), so the shorter last chunk is lost, and tokens shorter than size give [].
def chunk(tokens, size, overlap):
    if size < 1 or overlap < 0 or overlap >= size:
        raise ValueError("need size >= 1 and 0 <= overlap < size")
    step = size - overlap
    return [tokens[start:start + size] for start in range(0, len(tokens) - size + 1, step)]
