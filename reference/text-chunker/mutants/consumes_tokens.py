# Deletes each step's tokens from the front of tokens as it goes, so the caller's list is emptied.
def chunk(tokens, size, overlap):
    if size < 1 or overlap < 0 or overlap >= size:
        raise ValueError("need size >= 1 and 0 <= overlap < size")
    step = size - overlap
    chunks = []
    while tokens:
        chunks.append(tokens[:size])
        if len(tokens) <= size:
            tokens.clear()
            break
        del tokens[:step]
    return chunks
