# Reverses UTF-16 code units instead of code points, which splits every character outside the BMP into swapped surrogates.
def reverse_string(s):
    data = s.encode("utf-16-le", "surrogatepass")
    units = [data[i:i + 2] for i in range(0, len(data), 2)]
    return b"".join(reversed(units)).decode("utf-16-le", "surrogatepass")
