# Builds each pair as (current value, earlier complement), so a pair can come out as (b, a) with b > a.
def find_pairs(arr, target):
    seen = set()
    found = set()
    for x in arr:
        y = target - x
        if y in seen and (y, x) not in found:
            found.add((x, y))
        seen.add(x)
    return list(found)
