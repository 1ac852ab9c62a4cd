def reverse_string(s: str) -> str:
    """Return the code points of s in reverse order ("abc" -> "cba")."""
    raise NotImplementedError
