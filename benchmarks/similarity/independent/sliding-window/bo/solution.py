def max_sum_k_consecutive(arr, k):
    if k < 1 or k > len(arr):
        raise ValueError("bad k")
    s = best = sum(arr[:k])
    for out, inn in zip(arr, arr[k:]):
        s += inn - out
        best = max(best, s)
    return best
