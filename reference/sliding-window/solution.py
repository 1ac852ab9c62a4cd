"""Reference maximum sum of k consecutive elements: a sliding window, O(n)."""


def max_sum_k_consecutive(arr: list[int], k: int) -> int:
    if k < 1 or k > len(arr):
        raise ValueError("k must be between 1 and len(arr)")
    window = sum(arr[:k])
    best = window
    # Slide the window one step right: add the element entering it and
    # subtract the one leaving it.
    for i in range(k, len(arr)):
        window += arr[i] - arr[i - k]
        if window > best:
            best = window
    return best
