from itertools import accumulate, islice


def max_sum_k_consecutive(arr, k):
    if k <= 0 or k > len(arr):
        raise ValueError("k out of range")
    sums = list(accumulate(arr, initial=0))
    return max(map(lambda hi, lo: hi - lo, islice(sums, k, None), sums))
