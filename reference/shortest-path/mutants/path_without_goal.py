# The path stops before goal: it lists the nodes walked from (shortest_path({1: [2]}, 1, 2) gives [1]).
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
    node = parent[goal]
    while True:
        path.append(node)
        if node == start:
            break
        node = parent[node]
    return path[::-1]
