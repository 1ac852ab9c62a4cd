"""Reference pair sum: count the values once, then look up each complement (O(n))."""

from collections import Counter


def find_pairs(arr: list[int], target: int) -> list[tuple[int, int]]:
    counts = Counter(arr)
    pairs = []
    for a in counts:
        b = target - a
        if a < b and b in counts:
            pairs.append((a, b))
        elif a == b and counts[a] >= 2:
            pairs.append((a, a))
    return pairs
