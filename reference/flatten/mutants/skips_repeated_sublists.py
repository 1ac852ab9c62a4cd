# Keeps a set of visited list ids (a cycle guard), so a list object that appears twice is flattened only once.
def flatten(nested):
    result = []
    visited = {id(nested)}
    stack = [iter(nested)]
    while stack:
        for item in stack[-1]:
            if isinstance(item, list):
                if id(item) in visited:
                    continue
                visited.add(id(item))
                stack.append(iter(item))
                break
            result.append(item)
        else:
            stack.pop()
    return result
