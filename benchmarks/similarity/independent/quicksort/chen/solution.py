import random


def _median_of_three(arr, lo, hi):
    picks = [arr[random.randint(lo, hi)] for _ in range(3)]
    a, b, c = picks
    if a > b:
        a, b = b, a
    if b > c:
        b = c
    return max(a, b)


def _hoare(arr, lo, hi):
    pivot = _median_of_three(arr, lo, hi)
    left, right = lo, hi
    while True:
        while arr[left] < pivot:
            left += 1
        while arr[right] > pivot:
            right -= 1
        if left >= right:
            return right
        arr[left], arr[right] = arr[right], arr[left]
        left += 1
        right -= 1


def _qs(arr, lo, hi):
    while hi - lo > 0:
        cut = _hoare(arr, lo, hi)
        if cut - lo < hi - cut:
            _qs(arr, lo, cut)
            lo = cut + 1
        else:
            _qs(arr, cut + 1, hi)
            hi = cut


def quicksort(arr):
    if len(arr) > 1:
        _qs(arr, 0, len(arr) - 1)
