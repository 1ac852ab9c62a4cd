def _normalise(raw):
    return [ch.lower() for ch in raw if ch.isalnum()]


def is_palindrome(s):
    letters = _normalise(s)
    half = len(letters) // 2
    front = letters[:half]
    back = reversed(letters[len(letters) - half:])
    return all(a == b for a, b in zip(front, back))
