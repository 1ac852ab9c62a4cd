"""Flatten a nested list without recursion.

Every open list is kept on a stack together with the position reached in
it, so arbitrarily deep nesting only grows a Python list.
"""


def flatten(nested: list) -> list:
    """Return the non-list items of ``nested`` in left-to-right order."""
    output: list = []
    frames: list[tuple[list, int]] = [(nested, 0)]
    while frames:
        current, position = frames.pop()
        while position < len(current):
            element = current[position]
            position += 1
            if isinstance(element, list):
                # Come back to the rest of this list after the inner one.
                frames.append((current, position))
                frames.append((element, 0))
                break
            output.append(element)
    return output
