# Pairs a value with itself, (a, a), even when a appears only once in arr.
def find_pairs(arr, target):
    values = set(arr)
    pairs = []
    for a in values:
        b = target - a
        if a <= b and b in values:
            pairs.append((a, b))
    return pairs
