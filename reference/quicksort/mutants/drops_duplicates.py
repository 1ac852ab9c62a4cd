# Keeps the pivot once instead of every value equal to it (arr[:] = less + [pivot] + greater), so duplicates are lost.
import random


def quicksort(arr):
    def sort(values):
        if len(values) <= 1:
            return values
        pivot = random.choice(values)
        return sort([x for x in values if x < pivot]) + [pivot] + sort([x for x in values if x > pivot])

    arr[:] = sort(list(arr))
