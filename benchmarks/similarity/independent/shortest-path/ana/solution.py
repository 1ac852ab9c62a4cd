"""Shortest path in an unweighted directed graph by breadth-first search."""

from collections import deque
from typing import Hashable, Optional


def _rebuild(came_from: dict, goal: Hashable) -> list:
    path = [goal]
    while came_from[path[-1]] is not None:
        path.append(came_from[path[-1]])
    path.reverse()
    return path


def shortest_path(graph: dict, start, goal) -> Optional[list]:
    """Return a shortest list of nodes from ``start`` to ``goal``, or None."""
    came_from: dict = {start: None}
    frontier = deque([start])
    while frontier:
        current = frontier.popleft()
        if current == goal:
            return _rebuild(came_from, current)
        for successor in graph.get(current, []):
            if successor not in came_from:
                came_from[successor] = current
                frontier.append(successor)
    return None
