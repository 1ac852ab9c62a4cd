# Recurses into each sublist, so deep nesting (depth 100,000) raises RecursionError.
def flatten(nested):
    result = []
    for item in nested:
        if isinstance(item, list):
            result.extend(flatten(item))
        else:
            result.append(item)
    return result
