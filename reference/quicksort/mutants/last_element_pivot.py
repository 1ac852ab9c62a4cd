# Correct, but O(n^2) on sorted, reverse-sorted, all-equal and few-distinct inputs: always takes the last element as the pivot (Lomuto).
# expect: slower
def quicksort(arr):
    lo, hi = 0, len(arr) - 1
    pending = []
    while True:
        while lo < hi:
            pivot = arr[hi]
            store = lo
            for i in range(lo, hi):
                if arr[i] <= pivot:
                    arr[store], arr[i] = arr[i], arr[store]
                    store += 1
            arr[store], arr[hi] = arr[hi], arr[store]
            # loop on the smaller side, so nothing goes deep
            if store - lo < hi - store:
                pending.append((store + 1, hi))
                hi = store - 1
            else:
                pending.append((lo, store - 1))
                lo = store + 1
        if not pending:
            return
        lo, hi = pending.pop()
