# Raises ValueError for k == len(arr), which is valid (the sum of the whole list).
def max_sum_k_consecutive(arr, k):
    if k < 1 or k >= len(arr):
        raise ValueError("k must be between 1 and len(arr) - 1")
    window = sum(arr[:k])
    best = window
    for i in range(k, len(arr)):
        window += arr[i] - arr[i - k]
        best = max(best, window)
    return best
