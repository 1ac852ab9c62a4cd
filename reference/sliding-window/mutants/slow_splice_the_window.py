# Correct, but O(n*k): keeps the window as a list and splices it on every step
# (window[1:] + [x] copies k items: a C memmove per step).
# expect: slower
def max_sum_k_consecutive(arr: list[int], k: int) -> int:
    if k < 1 or k > len(arr):
        raise ValueError("k must be between 1 and len(arr)")
    window = arr[:k]
    total = sum(window)
    best = total
    for x in arr[k:]:
        total += x - window[0]
        window = window[1:] + [x]
        if total > best:
            best = total
    return best
