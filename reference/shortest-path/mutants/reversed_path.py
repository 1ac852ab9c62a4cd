# Builds the path from goal back to start and forgets to reverse it.
from collections import deque


def shortest_path(graph, start, goal):
    if start == goal:
        return [start]
    parent = {start: start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for neighbour in graph.get(node, []):
            if neighbour in parent:
                continue
            parent[neighbour] = node
            if neighbour == goal:
                path = [goal]
                while path[-1] != start:
                    path.append(parent[path[-1]])
                return path
            queue.append(neighbour)
    return None
