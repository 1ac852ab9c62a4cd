def flatten(nested: list) -> list:
    """Return the non-list items of nested, at any depth, in left-to-right order.

    Only list instances (and subclasses of list) are flattened; tuples,
    strings, dicts, sets and every other object are items. Empty lists
    contribute nothing. nested is not modified. Must handle nesting depth of
    at least 100,000. Time: O(n), n = total number of items and lists.
    """
    raise NotImplementedError
