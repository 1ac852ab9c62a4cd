# Does not raise ValueError for k > len(arr) (including the empty list).
def max_sum_k_consecutive(arr, k):
    if k < 1:
        raise ValueError("k must be at least 1")
    window = sum(arr[:k])
    best = window
    for i in range(k, len(arr)):
        window += arr[i] - arr[i - k]
        best = max(best, window)
    return best
