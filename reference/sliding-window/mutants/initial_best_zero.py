# Starts the best sum at 0, so it returns 0 when every window sum is negative.
def max_sum_k_consecutive(arr, k):
    if k < 1 or k > len(arr):
        raise ValueError("k must be between 1 and len(arr)")
    best = 0
    window = 0
    for i, value in enumerate(arr):
        window += value
        if i >= k:
            window -= arr[i - k]
        if i >= k - 1:
            best = max(best, window)
    return best
