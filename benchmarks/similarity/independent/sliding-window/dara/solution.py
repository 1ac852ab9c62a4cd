def max_sum_k_consecutive(arr, k):
    size = len(arr)
    if k < 1:
        raise ValueError("window must hold at least one element")
    if k > size:
        raise ValueError("window larger than the array")
    left = 0
    right = 0
    running = 0
    best = None
    while right < size:
        running += arr[right]
        right += 1
        if right - left == k:
            if best is None or running > best:
                best = running
            running -= arr[left]
            left += 1
    return best
