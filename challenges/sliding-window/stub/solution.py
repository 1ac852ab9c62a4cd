def max_sum_k_consecutive(arr: list[int], k: int) -> int:
    """Return the largest sum of k consecutive elements of arr, in O(n).

    Raise ValueError when k < 1 or k > len(arr). Do not modify arr.
    """
    raise NotImplementedError
