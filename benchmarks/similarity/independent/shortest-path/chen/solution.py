from collections import deque


def _unwind(trail):
    nodes = []
    while trail is not None:
        node, trail = trail
        nodes.append(node)
    return nodes[::-1]


def shortest_path(graph, start, goal):
    # Each queue entry is a cons cell (node, previous cell): paths share their tails.
    seen = {start}
    queue = deque([(start, None)])
    while queue:
        cell = queue.popleft()
        if cell[0] == goal:
            return _unwind(cell)
        for nxt in graph.get(cell[0]) or ():
            if nxt not in seen:
                seen.add(nxt)
                queue.append((nxt, cell))
    return None
