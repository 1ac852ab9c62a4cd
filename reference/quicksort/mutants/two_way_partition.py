# Correct, but O(n^2) on all-equal and few-distinct inputs: a random pivot, but a two-way partition (<= pivot on one side), so equal values are never set apart.
# expect: slower
import random


def quicksort(arr):
    pending = [(0, len(arr) - 1)]
    while pending:
        lo, hi = pending.pop()
        while lo < hi:
            p = random.randint(lo, hi)
            arr[p], arr[hi] = arr[hi], arr[p]
            pivot = arr[hi]
            store = lo
            for i in range(lo, hi):
                if arr[i] <= pivot:
                    arr[store], arr[i] = arr[i], arr[store]
                    store += 1
            arr[store], arr[hi] = arr[hi], arr[store]
            if store - lo < hi - store:
                pending.append((store + 1, hi))
                hi = store - 1
            else:
                pending.append((lo, store - 1))
                lo = store + 1
