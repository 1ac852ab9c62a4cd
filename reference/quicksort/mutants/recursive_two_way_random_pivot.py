# Recursive, random pivot, two-way partition, recursing into both parts: on an all-equal input every value goes to one side, so it recurses once per item and overflows the recursion limit.
import random


def quicksort(arr):
    def sort(lo, hi):
        if lo >= hi:
            return
        p = random.randint(lo, hi)
        arr[p], arr[hi] = arr[hi], arr[p]
        pivot = arr[hi]
        store = lo
        for i in range(lo, hi):
            if arr[i] <= pivot:
                arr[store], arr[i] = arr[i], arr[store]
                store += 1
        arr[store], arr[hi] = arr[hi], arr[store]
        sort(lo, store - 1)
        sort(store + 1, hi)

    sort(0, len(arr) - 1)
