# Correct, but O(n^2 / step): copies the rest of the tokens for every chunk (rest = rest[step:]).
# expect: slower
def chunk(tokens, size, overlap):
    if size < 1 or overlap < 0 or overlap >= size:
        raise ValueError("need size >= 1 and 0 <= overlap < size")
    step = size - overlap
    chunks = []
    rest = tokens[:]
    while rest:
        chunks.append(rest[:size])
        if len(rest) <= size:
            break
        rest = rest[step:]
    return chunks
