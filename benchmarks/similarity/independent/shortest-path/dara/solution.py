import collections


class Graph:
    def __init__(self, adjacency):
        self.adjacency = adjacency

    def neighbours(self, node):
        return self.adjacency.get(node, [])

    def bfs_parents(self, source, target):
        parents = {source: None}
        pending = collections.deque()
        pending.append(source)
        while pending:
            node = pending.popleft()
            for other in self.neighbours(node):
                if other in parents:
                    continue
                parents[other] = node
                if other == target:
                    return parents
                pending.append(other)
        return None

    def path(self, source, target):
        if source == target:
            return [source]
        parents = self.bfs_parents(source, target)
        if parents is None:
            return None
        route = collections.deque()
        node = target
        while node is not None:
            route.appendleft(node)
            node = parents[node]
        return list(route)


def shortest_path(graph, start, goal):
    return Graph(graph).path(start, goal)
