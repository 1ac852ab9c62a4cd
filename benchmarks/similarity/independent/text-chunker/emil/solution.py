def chunk(tokens, size, overlap):
    if size < 1 or overlap < 0 or overlap >= size:
        raise ValueError("size must be at least 1 and overlap between 0 and size - 1")
    result = []
    if len(tokens) == 0:
        return result
    step = size - overlap
    start = 0
    while True:
        end = start + size
        if end > len(tokens):
            end = len(tokens)
        # copy the items of this chunk one by one
        piece = []
        for i in range(start, end):
            piece.append(tokens[i])
        result.append(piece)
        if end == len(tokens):
            break
        start = start + step
    return result
