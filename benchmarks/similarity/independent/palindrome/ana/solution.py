"""Palindrome check on the alphanumeric characters, case-insensitively."""


def is_palindrome(s: str) -> bool:
    """Return True if the cleaned, lowered characters read the same both ways."""
    cleaned = [character.lower() for character in s if character.isalnum()]
    return cleaned == cleaned[::-1]
