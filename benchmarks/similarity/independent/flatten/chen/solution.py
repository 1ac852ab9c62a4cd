from typing import Any, Iterator


def _leaves(root: list) -> Iterator[Any]:
    iterators = [iter(root)]
    while iterators:
        try:
            value = next(iterators[-1])
        except StopIteration:
            iterators.pop()
            continue
        if isinstance(value, list):
            iterators.append(iter(value))
        else:
            yield value


def flatten(nested: list) -> list:
    return list(_leaves(nested))
