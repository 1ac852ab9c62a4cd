# Builds prefix sums in arr itself, so the caller's list is modified.
def max_sum_k_consecutive(arr, k):
    if k < 1 or k > len(arr):
        raise ValueError("k must be between 1 and len(arr)")
    for i in range(1, len(arr)):
        arr[i] += arr[i - 1]
    best = arr[k - 1]
    for i in range(k, len(arr)):
        best = max(best, arr[i] - arr[i - k])
    return best
