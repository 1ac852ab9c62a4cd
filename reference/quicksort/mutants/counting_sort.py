# A counting sort over range(min, max + 1): fine for small values, but "any ints" includes huge ones (a count list of 10**30 entries cannot be made).
def quicksort(arr):
    if not arr:
        return
    low = min(arr)
    counts = [0] * (max(arr) - low + 1)
    for value in arr:
        counts[value - low] += 1
    position = 0
    for offset, count in enumerate(counts):
        for _ in range(count):
            arr[position] = low + offset
            position += 1
