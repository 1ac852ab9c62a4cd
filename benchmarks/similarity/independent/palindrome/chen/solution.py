def is_palindrome(s: str) -> bool:
    text = "".join(map(str.lower, filter(str.isalnum, s)))
    return text == text[::-1]
