# Skips values larger than target (assumes no negatives), so pairs like (-1, 5) for target 4 are missed.
from collections import Counter


def find_pairs(arr, target):
    counts = Counter(x for x in arr if x <= target)
    pairs = []
    for a in counts:
        b = target - a
        if a < b and b in counts:
            pairs.append((a, b))
        elif a == b and counts[a] >= 2:
            pairs.append((a, a))
    return pairs
