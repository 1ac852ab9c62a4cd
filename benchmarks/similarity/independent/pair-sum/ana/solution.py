"""All distinct value pairs adding up to a target, in one pass with sets."""


def find_pairs(arr: list[int], target: int) -> list[tuple[int, int]]:
    """Return each pair (a, b), a <= b, of values at two positions summing to target."""
    seen: set[int] = set()
    found: set[tuple[int, int]] = set()
    for value in arr:
        complement = target - value
        if complement in seen:
            found.add((min(value, complement), max(value, complement)))
        seen.add(value)
    return list(found)
