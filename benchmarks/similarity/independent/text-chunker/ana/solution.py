"""Overlapping fixed-size windows over a token list."""


def chunk(tokens: list, size: int, overlap: int) -> list[list]:
    """Return the windows ``tokens[s:s + size]`` for s = 0, step, 2 * step, ..."""
    if size < 1:
        raise ValueError(f"size must be at least 1, got {size}")
    if overlap < 0 or overlap >= size:
        raise ValueError(f"overlap must be in 0..{size - 1}, got {overlap}")
    step = size - overlap
    windows: list[list] = []
    for begin in range(0, len(tokens), step):
        windows.append(tokens[begin:begin + size])
        if begin + size >= len(tokens):
            break
    return windows
