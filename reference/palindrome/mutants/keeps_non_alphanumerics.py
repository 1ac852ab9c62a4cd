# Does not ignore non-alphanumeric characters: spaces and punctuation must mirror too.
def is_palindrome(s):
    lowered = s.lower()
    return lowered == lowered[::-1]
