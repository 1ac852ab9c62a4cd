"""Reference flatten: an explicit stack of list iterators, so depth costs no recursion (O(n))."""


def flatten(nested: list) -> list:
    result = []
    stack = [iter(nested)]
    while stack:
        for item in stack[-1]:
            if isinstance(item, list):
                stack.append(iter(item))
                break
            result.append(item)
        else:
            stack.pop()
    return result
