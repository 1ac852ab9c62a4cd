# Returns [] for empty tokens before checking the arguments, so chunk([], 0, 0) gives [] instead of ValueError.
def chunk(tokens, size, overlap):
    if not tokens:
        return []
    if size < 1 or overlap < 0 or overlap >= size:
        raise ValueError("need size >= 1 and 0 <= overlap < size")
    step = size - overlap
    chunks = []
    start = 0
    while start < len(tokens):
        chunks.append(tokens[start:start + size])
        if start + size >= len(tokens):
            break
        start += step
    return chunks
