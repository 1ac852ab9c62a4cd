# Strips leading and trailing whitespace before reversing.
def reverse_string(s):
    return s.strip()[::-1]
