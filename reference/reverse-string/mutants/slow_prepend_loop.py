# Correct, but O(n^2): builds the result by prepending one character at a time (each prepend copies it all).
# expect: slower
def reverse_string(s):
    result = ""
    for char in s:
        result = char + result
    return result
