reverse_string = lambda s: s[::-1]
