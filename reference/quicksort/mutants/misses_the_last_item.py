# Off by one: starts with hi = len(arr) - 2, so the last item is never sorted.
import random


def quicksort(arr):
    pending = [(0, len(arr) - 2)]
    while pending:
        lo, hi = pending.pop()
        while lo < hi:
            pivot = arr[random.randint(lo, hi)]
            lt, i, gt = lo, lo, hi
            while i <= gt:
                value = arr[i]
                if value < pivot:
                    arr[lt], arr[i] = value, arr[lt]
                    lt += 1
                    i += 1
                elif value > pivot:
                    arr[i], arr[gt] = arr[gt], value
                    gt -= 1
                else:
                    i += 1
            if lt - lo < hi - gt:
                pending.append((gt + 1, hi))
                hi = lt - 1
            else:
                pending.append((lo, lt - 1))
                lo = gt + 1

