# Returns each pair as a list [a, b] instead of a tuple (a, b).
from collections import Counter


def find_pairs(arr, target):
    counts = Counter(arr)
    pairs = []
    for a in counts:
        b = target - a
        if a < b and b in counts:
            pairs.append([a, b])
        elif a == b and counts[a] >= 2:
            pairs.append([a, a])
    return pairs
