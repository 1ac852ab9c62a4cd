from typing import Iterator


def _windows(seq: list, width: int, stride: int) -> Iterator[list]:
    pos = 0
    while True:
        yield seq[pos:pos + width]
        if pos + width >= len(seq):
            return
        pos += stride


def chunk(tokens, size, overlap):
    if size < 1 or overlap < 0 or overlap >= size:
        raise ValueError("invalid size/overlap")
    if not tokens:
        return []
    return list(_windows(tokens, size, size - overlap))
