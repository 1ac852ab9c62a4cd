# Off-by-one two-pointer loop (i < j - 1): it stops before comparing the innermost pair when they are neighbours.
def is_palindrome(s):
    i, j = 0, len(s) - 1
    while i < j - 1:
        if not s[i].isalnum():
            i += 1
        elif not s[j].isalnum():
            j -= 1
        elif s[i].lower() != s[j].lower():
            return False
        else:
            i += 1
            j -= 1
    return True
