"""Reference quicksort: a random pivot and Hoare's partition, in place.

Hoare's scans both stop at values equal to the pivot, so equal values are
shared out between the two sides and an all-equal or few-distinct input
splits evenly instead of going quadratic. The larger side waits on a stack
while the loop goes on with the smaller one, so the stack holds O(log n)
ranges and nothing recurses. O(n log n) expected on every input.
"""

import random


def quicksort(arr: list[int]) -> None:
    pending = [(0, len(arr) - 1)]
    while pending:
        lo, hi = pending.pop()
        while lo < hi:
            pivot = arr[random.randint(lo, hi)]
            i, j = lo - 1, hi + 1
            while True:
                i += 1
                while arr[i] < pivot:
                    i += 1
                j -= 1
                while arr[j] > pivot:
                    j -= 1
                if i >= j:
                    break
                arr[i], arr[j] = arr[j], arr[i]
            # arr[lo:j + 1] <= pivot <= arr[j + 1:hi + 1], both sides non-empty.
            if j - lo < hi - j:
                pending.append((j + 1, hi))
                hi = j
            else:
                pending.append((lo, j))
                lo = j + 1
