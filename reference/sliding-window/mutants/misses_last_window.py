# Compares each window before sliding, so the last window is never considered (and k == len(arr) returns -inf).
def max_sum_k_consecutive(arr, k):
    if k < 1 or k > len(arr):
        raise ValueError("k must be between 1 and len(arr)")
    window = sum(arr[:k])
    best = float("-inf")
    for i in range(k, len(arr)):
        best = max(best, window)
        window += arr[i] - arr[i - k]
    return best
