# Correct, but O(n * depth): flattens one level per pass until no list is left.
# expect: slower
def flatten(nested):
    result = list(nested)
    while any(isinstance(item, list) for item in result):
        level = []
        for item in result:
            if isinstance(item, list):
                level.extend(item)
            else:
                level.append(item)
        result = level
    return result
