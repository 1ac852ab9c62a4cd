# Tests `type(item) is list`, so subclasses of list are kept as items instead of flattened.
def flatten(nested):
    result = []
    stack = [iter(nested)]
    while stack:
        for item in stack[-1]:
            if type(item) is list:
                stack.append(iter(item))
                break
            result.append(item)
        else:
            stack.pop()
    return result
