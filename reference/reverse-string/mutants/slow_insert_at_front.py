# Correct, but O(n^2): inserts each code point at the front of a list (list.insert(0, c) moves
# every code point already there: a C memmove per character).
# expect: slower
def reverse_string(s: str) -> str:
    out = []
    for c in s:
        out.insert(0, c)
    return "".join(out)
