# Sorts arr in place for a two-pointer scan, so the caller's list is modified.
def find_pairs(arr, target):
    arr.sort()
    pairs = []
    i, j = 0, len(arr) - 1
    while i < j:
        total = arr[i] + arr[j]
        if total < target:
            i += 1
        elif total > target:
            j -= 1
        else:
            pairs.append((arr[i], arr[j]))
            a, b = arr[i], arr[j]
            while i < j and arr[i] == a:
                i += 1
            while i < j and arr[j] == b:
                j -= 1
    return pairs
