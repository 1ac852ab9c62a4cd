"""Reverse a string by joining its characters from last to first."""


def reverse_string(s: str) -> str:
    """Return the code points of ``s`` in reverse order."""
    return "".join(reversed(s))
