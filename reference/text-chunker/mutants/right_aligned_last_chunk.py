# Makes the last chunk a whole window ending at the end (tokens[-size:]) instead of tokens[s:s + size] cut at the end.
def chunk(tokens, size, overlap):
    if size < 1 or overlap < 0 or overlap >= size:
        raise ValueError("need size >= 1 and 0 <= overlap < size")
    step = size - overlap
    chunks = []
    start = 0
    while start + size < len(tokens):
        chunks.append(tokens[start:start + size])
        start += step
    if tokens:
        chunks.append(tokens[max(0, len(tokens) - size):])
    return chunks
