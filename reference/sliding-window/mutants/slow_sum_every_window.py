# Correct, but O(n * k): sums every window from scratch.
# expect: slower
def max_sum_k_consecutive(arr, k):
    if k < 1 or k > len(arr):
        raise ValueError("k must be between 1 and len(arr)")
    best = None
    for start in range(len(arr) - k + 1):
        total = 0
        for value in arr[start:start + k]:
            total += value
        if best is None or total > best:
            best = total
    return best
