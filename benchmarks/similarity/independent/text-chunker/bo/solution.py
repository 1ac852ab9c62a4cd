def chunk(tokens, size, overlap):
    if not 0 <= overlap < size:
        raise ValueError("need 0 <= overlap < size")
    n = len(tokens)
    return [tokens[i:i + size] for i in range(0, max(n - overlap, 1), size - overlap)] if n else []
