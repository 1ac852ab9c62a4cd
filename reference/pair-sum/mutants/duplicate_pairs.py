# Lists the same pair again for every repeated value (no de-duplication).
def find_pairs(arr, target):
    seen = set()
    pairs = []
    for x in arr:
        y = target - x
        if y in seen:
            pairs.append((min(x, y), max(x, y)))
        seen.add(x)
    return pairs
