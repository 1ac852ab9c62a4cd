"""Quicksort with a random pivot and a three-way (Dutch national flag) partition.

Values equal to the pivot are settled in the middle band at once, so inputs
with many duplicates stay O(n log n). The smaller side is sorted by a
recursive call and the larger by looping, so the depth is O(log n).
"""

import random


def _partition(arr: list[int], low: int, high: int) -> tuple[int, int]:
    """Rearrange arr[low..high] into < pivot, == pivot, > pivot; return the band."""
    pivot = arr[random.randint(low, high)]
    less, scan, greater = low, low, high
    while scan <= greater:
        if arr[scan] < pivot:
            arr[less], arr[scan] = arr[scan], arr[less]
            less += 1
            scan += 1
        elif arr[scan] > pivot:
            arr[scan], arr[greater] = arr[greater], arr[scan]
            greater -= 1
        else:
            scan += 1
    return less, greater


def _sort(arr: list[int], low: int, high: int) -> None:
    while low < high:
        band_start, band_end = _partition(arr, low, high)
        if band_start - low < high - band_end:
            _sort(arr, low, band_start - 1)
            low = band_end + 1
        else:
            _sort(arr, band_end + 1, high)
            high = band_start - 1


def quicksort(arr: list[int]) -> None:
    """Sort ``arr`` in place, ascending."""
    _sort(arr, 0, len(arr) - 1)
