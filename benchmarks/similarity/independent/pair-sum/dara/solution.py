class PairFinder:
    def __init__(self, values):
        self.values = values

    def pairs_summing_to(self, goal):
        singles = set()
        doubles = set()
        for v in self.values:
            if v in singles:
                doubles.add(v)
            singles.add(v)
        result = []
        for v in singles:
            other = goal - v
            if v < other and other in singles:
                result.append((v, other))
            elif v == other and v in doubles:
                result.append((v, v))
        return result


def find_pairs(arr, target):
    return PairFinder(arr).pairs_summing_to(target)
