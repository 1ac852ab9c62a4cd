def chunk(tokens: list, size: int, overlap: int) -> list[list]:
    """Split tokens into windows of size items, each starting size - overlap
    items after the previous one, ending with the first window that reaches
    the end of tokens (the last one may be shorter).

    Raise ValueError when size < 1, overlap < 0 or overlap >= size.
    Do not modify tokens; return new lists.
    """
    raise NotImplementedError
