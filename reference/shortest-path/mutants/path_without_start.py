# The path leaves out start: it lists the nodes stepped onto (shortest_path({1: [2]}, 1, 2) gives [2]).
from collections import deque


def shortest_path(graph, start, goal):
    if start == goal:
        return [start]
    parent = {start: start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for neighbour in graph.get(node, []):
            if neighbour not in parent:
                parent[neighbour] = node
                queue.append(neighbour)
    if goal not in parent:
        return None
    path = []
    node = goal
    while node != start:
        path.append(node)
        node = parent[node]
    return path[::-1]
