"""Reference: a slice with step -1 copies the code points in reverse, in O(n) time."""


def reverse_string(s: str) -> str:
    return s[::-1]
