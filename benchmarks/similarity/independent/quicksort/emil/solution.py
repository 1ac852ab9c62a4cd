import random


def partition(arr, low, high):
    # choose a random pivot, then move the two indices towards each other
    pivot = random.choice(arr[low:high + 1]) if high - low < 8 else arr[random.randint(low, high)]
    i = low - 1
    j = high + 1
    while True:
        i = i + 1
        while arr[i] < pivot:
            i = i + 1
        j = j - 1
        while arr[j] > pivot:
            j = j - 1
        if i >= j:
            return j
        temp = arr[i]
        arr[i] = arr[j]
        arr[j] = temp


def quicksort(arr):
    if len(arr) < 2:
        return None
    stack = []
    stack.append((0, len(arr) - 1))
    while len(stack) > 0:
        low, high = stack.pop()
        if low >= high:
            continue
        middle = partition(arr, low, high)
        # push the bigger part first so the smaller part is done first
        if middle - low > high - middle:
            stack.append((low, middle))
            stack.append((middle + 1, high))
        else:
            stack.append((middle + 1, high))
            stack.append((low, middle))
    return None
