# Correct, but O(size^2) per chunk: grows each chunk item by item by concatenation (piece = piece + [token]).
# expect: slower
def chunk(tokens, size, overlap):
    if size < 1 or overlap < 0 or overlap >= size:
        raise ValueError("need size >= 1 and 0 <= overlap < size")
    step = size - overlap
    chunks = []
    start = 0
    while start < len(tokens):
        piece = []
        for index in range(start, min(start + size, len(tokens))):
            piece = piece + [tokens[index]]
        chunks.append(piece)
        if start + size >= len(tokens):
            break
        start += step
    return chunks
