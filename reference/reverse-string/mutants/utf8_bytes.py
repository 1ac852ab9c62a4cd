# Reverses the UTF-8 bytes, which only works for ASCII (any other character fails to decode or to encode).
def reverse_string(s):
    return s.encode("utf-8")[::-1].decode("utf-8")
