# Returns [] when target is 0, because the guard `not target` treats 0 as missing.
from collections import Counter


def find_pairs(arr, target):
    if not arr or not target:
        return []
    counts = Counter(arr)
    pairs = []
    for a in counts:
        b = target - a
        if a < b and b in counts:
            pairs.append((a, b))
        elif a == b and counts[a] >= 2:
            pairs.append((a, a))
    return pairs
