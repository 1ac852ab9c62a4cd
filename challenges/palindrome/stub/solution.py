def is_palindrome(s: str) -> bool:
    """Return True if s reads the same forwards and backwards, looking only at
    the characters for which str.isalnum() is True and comparing them with
    str.lower() on each character."""
    raise NotImplementedError
