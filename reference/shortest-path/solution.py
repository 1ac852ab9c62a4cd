"""Reference shortest path: breadth-first search with one parent per node.

A node is marked (given its parent) when it is first pushed, so it enters
the queue once and its parent is on the level before it; the path is built
once, from the goal back to the start, and reversed. Every reachable node
and edge is looked at once: O(V + E).
"""

from collections import deque


def shortest_path(graph: dict, start, goal) -> list | None:
    if start == goal:
        return [start]
    parent = {start: start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for neighbour in graph.get(node, ()):
            if neighbour in parent:
                continue
            parent[neighbour] = node
            if neighbour == goal:
                path = [goal]
                while path[-1] != start:
                    path.append(parent[path[-1]])
                path.reverse()
                return path
            queue.append(neighbour)
    return None
