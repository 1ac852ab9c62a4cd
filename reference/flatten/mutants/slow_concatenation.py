# Correct, but O(n^2): builds the result by concatenation (result = result + [...]) with an explicit stack.
# expect: slower
def flatten(nested):
    result = []
    stack = [(nested, 0)]
    while stack:
        current, index = stack.pop()
        if index == len(current):
            continue
        stack.append((current, index + 1))
        item = current[index]
        if isinstance(item, list):
            stack.append((item, 0))
        else:
            result = result + [item]
    return result
