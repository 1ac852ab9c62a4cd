def quicksort(arr: list[int]) -> None:
    """Sort arr in place into ascending order and return None.

    O(n log n) expected on every input (sorted, reverse-sorted, all-equal and
    few-distinct ones too), without overflowing the recursion limit on up to
    100,000 items. sorted, list.sort, heapq and bisect are forbidden.
    """
    raise NotImplementedError
