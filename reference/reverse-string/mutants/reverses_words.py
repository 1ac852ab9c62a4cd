# Reverses the order of the space-separated words instead of the characters.
def reverse_string(s):
    return " ".join(reversed(s.split(" ")))
