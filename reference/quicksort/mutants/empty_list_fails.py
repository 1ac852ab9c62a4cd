# Reads the middle item before checking that the range is not empty (Hoare partition), so [] raises IndexError.
def quicksort(arr):
    def sort(lo, hi):
        pivot = arr[(lo + hi) // 2]
        if lo >= hi:
            return
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
        sort(lo, j)
        sort(j + 1, hi)

    sort(0, len(arr) - 1)
