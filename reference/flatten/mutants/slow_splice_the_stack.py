# Correct, but O(n^2) on long lists: a list of pending items, spliced at the front for every
# sublist and popped from the front for every item (C memmoves, cheap per step).
# expect: slower
def flatten(nested: list) -> list:
    result = []
    pending = list(nested)
    while pending:
        item = pending.pop(0)
        if isinstance(item, list):
            pending[0:0] = item
        else:
            result.append(item)
    return result
