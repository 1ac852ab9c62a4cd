def reverse_string(s):
    n = len(s)
    # pick the characters from the end to the start
    letters = [s[n - 1 - i] for i in range(n)]
    result = "".join(letters)
    return result
