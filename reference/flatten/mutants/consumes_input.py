# Pops items off the input lists while walking them, so the caller's nested list is emptied.
def flatten(nested):
    result = []
    stack = [nested]
    while stack:
        top = stack[-1]
        if not top:
            stack.pop()
            continue
        item = top.pop(0)
        if isinstance(item, list):
            stack.append(item)
        else:
            result.append(item)
    return result
