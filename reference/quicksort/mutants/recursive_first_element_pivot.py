# The textbook recursive quicksort (first element as pivot, recursing into both parts): on a sorted input it recurses once per item and overflows the recursion limit.
def quicksort(arr, lo=0, hi=None):
    if hi is None:
        hi = len(arr) - 1
    if lo >= hi:
        return
    pivot = arr[lo]
    store = lo
    for i in range(lo + 1, hi + 1):
        if arr[i] < pivot:
            store += 1
            arr[store], arr[i] = arr[i], arr[store]
    arr[lo], arr[store] = arr[store], arr[lo]
    quicksort(arr, lo, store - 1)
    quicksort(arr, store + 1, hi)
