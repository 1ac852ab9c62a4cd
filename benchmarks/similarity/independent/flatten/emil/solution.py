from collections import deque


def flatten(nested):
    # work holds the things still to look at, leftmost first
    work = deque(nested)
    result = []
    while len(work) > 0:
        first = work.popleft()
        if isinstance(first, list):
            # put the inner list's items in front, keeping their order
            work.extendleft(reversed(first))
        else:
            result.append(first)
    return result
