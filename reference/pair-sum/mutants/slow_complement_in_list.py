# Correct, but O(n^2): looks each complement up in the list (a linear scan), not in a set.
# expect: slower
def find_pairs(arr, target):
    pairs = set()
    for index, a in enumerate(arr):
        b = target - a
        if b in arr[index + 1:]:
            pairs.add((min(a, b), max(a, b)))
    return list(pairs)
