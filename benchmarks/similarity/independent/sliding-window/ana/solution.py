"""Maximum sum of k consecutive elements from prefix sums."""


def max_sum_k_consecutive(arr: list[int], k: int) -> int:
    """Return the largest sum of a run of ``k`` consecutive elements."""
    if not 1 <= k <= len(arr):
        raise ValueError(f"k must be in 1..{len(arr)}, got {k}")
    prefix = [0]
    for value in arr:
        prefix.append(prefix[-1] + value)
    return max(prefix[end] - prefix[end - k] for end in range(k, len(prefix)))
