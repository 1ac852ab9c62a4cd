from collections import defaultdict


def find_pairs(arr, target):
    positions = defaultdict(list)
    for i, v in enumerate(arr):
        positions[v].append(i)
    out = []
    for v, where in positions.items():
        w = target - v
        if w < v:
            continue
        if w == v:
            if len(where) >= 2:
                out.append((v, v))
        elif w in positions:
            out.append((v, w))
    return out
