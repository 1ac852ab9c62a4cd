# Correct, but O(n^2): reverses the cleaned string again inside the loop, for every character.
# expect: slower
def is_palindrome(s):
    cleaned = "".join(c.lower() for c in s if c.isalnum())
    for i in range(len(cleaned) // 2):
        if cleaned[i] != cleaned[::-1][i]:
            return False
    return True
