# Returns None instead of [start] when start == goal: it only looks for goal among neighbours.
from collections import deque


def shortest_path(graph, start, goal):
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
                return path[::-1]
            queue.append(neighbour)
    return None
