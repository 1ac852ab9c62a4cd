# Does not raise ValueError for k < 1.
def max_sum_k_consecutive(arr, k):
    if k > len(arr):
        raise ValueError("k must be at most len(arr)")
    window = sum(arr[:k])
    best = window
    for i in range(k, len(arr)):
        window += arr[i] - arr[i - k]
        best = max(best, window)
    return best
