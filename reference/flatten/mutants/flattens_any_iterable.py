# Flattens every iterable except str/bytes (dicts, sets, tuples, other iterable objects), not just lists.
from collections.abc import Iterable


def flatten(nested):
    result = []
    stack = [iter(nested)]
    while stack:
        for item in stack[-1]:
            if isinstance(item, Iterable) and not isinstance(item, (str, bytes)):
                stack.append(iter(item))
                break
            result.append(item)
        else:
            stack.pop()
    return result
