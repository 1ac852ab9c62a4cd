# When sliding, subtracts arr[i - k + 1] instead of arr[i - k], the element that actually leaves the window.
def max_sum_k_consecutive(arr, k):
    if k < 1 or k > len(arr):
        raise ValueError("k must be between 1 and len(arr)")
    window = sum(arr[:k])
    best = window
    for i in range(k, len(arr)):
        window += arr[i] - arr[i - k + 1]
        best = max(best, window)
    return best
