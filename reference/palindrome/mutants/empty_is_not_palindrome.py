# Returns False for the empty string (and for strings with no alphanumeric character).
def is_palindrome(s):
    cleaned = [c.lower() for c in s if c.isalnum()]
    if not cleaned:
        return False
    return cleaned == cleaned[::-1]
