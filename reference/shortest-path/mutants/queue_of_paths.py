# Correct, but queues a copy of the whole path for every node it reaches (and marks nodes when
# popped): O(V * path length), quadratic on a long path.
# expect: slower
from collections import deque


def shortest_path(graph, start, goal):
    visited = set()
    queue = deque([[start]])
    while queue:
        path = queue.popleft()
        node = path[-1]
        if node in visited:
            continue
        visited.add(node)
        if node == goal:
            return path
        for neighbour in graph.get(node, []):
            if neighbour not in visited:
                queue.append(path + [neighbour])
    return None
