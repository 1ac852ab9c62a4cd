"""quicksort's helpers inside the sandbox (registered by name in FIXTURES):
build the list to sort where the submission runs (large ones too, so they
need not cross as data), and read it back after the call. They run beside
the submission, so what they read back is judged on the host like any
answer. Standard library only."""


def shaped(shape, n):
    """The n values of a named shape, deterministic (no randomness, so the
    host knows them without being told)."""
    if shape == "sorted":
        return list(range(n))
    if shape == "reverse-sorted":
        return list(range(n, 0, -1))
    if shape == "all-equal":
        return [7] * n
    if shape == "two values":
        return [i % 2 for i in range(n)]
    if shape == "scrambled":
        return [(i * 7_919) % 100_003 for i in range(n)]
    raise ValueError("unknown shape %r" % (shape,))


def fixture_new_list(agent, values):
    """A list of ``values`` kept in the sandbox (pass it on by Ref)."""
    return list(values)


def fixture_shaped_list(agent, shape, n):
    """A list of n items of the given shape, built in the sandbox."""
    return shaped(shape, n)


def fixture_value(agent, value):
    """The value itself, read back for the host to judge."""
    return value


def fixture_items(agent, arr, start, stop):
    """``arr[start:stop]``: a long list is read back in parts, since one
    value crossing the boundary holds at most 100,000 items."""
    return arr[start:stop]


FIXTURES = {
    "new_list": fixture_new_list,
    "shaped_list": fixture_shaped_list,
    "value": fixture_value,
    "items": fixture_items,
}
