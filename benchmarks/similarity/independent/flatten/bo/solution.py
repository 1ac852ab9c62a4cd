def flatten(nested):
    out, todo = [], nested[::-1]
    while todo:
        x = todo.pop()
        if isinstance(x, list):
            todo.extend(reversed(x))
        else:
            out.append(x)
    return out
