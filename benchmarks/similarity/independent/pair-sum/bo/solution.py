def find_pairs(arr, target):
    c = {}
    for x in arr:
        c[x] = c.get(x, 0) + 1
    return [(x, target - x) for x in c
            if (x < target - x and target - x in c) or (2 * x == target and c[x] > 1)]
