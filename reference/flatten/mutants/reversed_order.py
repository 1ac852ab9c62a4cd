# Pushes sublist items onto a stack and pops them, so the items come out right-to-left.
def flatten(nested):
    result = []
    stack = list(nested)
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        else:
            result.append(item)
    return result
