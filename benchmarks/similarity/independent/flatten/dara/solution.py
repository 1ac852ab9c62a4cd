class Flattener:
    """Walks a nested list depth first, collecting what is not a list."""

    def __init__(self, source):
        self.source = source
        self.collected = []

    def run(self):
        pending = [self.source]
        cursor = [0]
        while pending:
            top = pending[-1]
            i = cursor[-1]
            if i == len(top):
                pending.pop()
                cursor.pop()
                continue
            cursor[-1] = i + 1
            thing = top[i]
            if isinstance(thing, list):
                pending.append(thing)
                cursor.append(0)
            else:
                self.collected.append(thing)
        return self.collected


def flatten(nested):
    return Flattener(nested).run()
