# Correct, but O(n^2): re-slices the cleaned string on every step (cleaned[1:-1] copies what is
# left, a C memmove per step).
# expect: slower
def is_palindrome(s: str) -> bool:
    cleaned = "".join(c.lower() for c in s if c.isalnum())
    while len(cleaned) > 1:
        if cleaned[0] != cleaned[-1]:
            return False
        cleaned = cleaned[1:-1]
    return True
