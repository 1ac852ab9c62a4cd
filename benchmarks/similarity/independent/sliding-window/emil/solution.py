from collections import deque


def max_sum_k_consecutive(arr, k):
    if k < 1 or k > len(arr):
        raise ValueError("k must be between 1 and the length of the list")
    window = deque()
    total = 0
    maximum = float("-inf")
    for number in arr:
        window.append(number)
        total = total + number
        if len(window) > k:
            total = total - window.popleft()
        if len(window) == k and total > maximum:
            maximum = total
    return maximum
