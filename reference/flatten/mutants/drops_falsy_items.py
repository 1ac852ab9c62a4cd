# Skips every falsy value (meant to skip empty lists), so 0, None, False, "" and () are lost.
def flatten(nested):
    result = []
    stack = [iter(nested)]
    while stack:
        for item in stack[-1]:
            if not item:
                continue
            if isinstance(item, list):
                stack.append(iter(item))
                break
            result.append(item)
        else:
            stack.pop()
    return result
