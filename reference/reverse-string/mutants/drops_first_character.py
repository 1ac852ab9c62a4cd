# Off-by-one: the index loop stops before index 0, so the first character of s is lost.
def reverse_string(s):
    chars = []
    for i in range(len(s) - 1, 0, -1):
        chars.append(s[i])
    return "".join(chars)
