def find_pairs(arr: list[int], target: int) -> list[tuple[int, int]]:
    """Return every distinct pair (a, b) of values of arr with a <= b and a + b == target.

    a and b must sit at two different positions of arr, so (a, a) needs a to
    appear at least twice. Each pair is listed once, in any order; arr is not
    modified. Time: O(n), n = len(arr).
    """
    raise NotImplementedError
