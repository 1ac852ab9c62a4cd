def shortest_path(graph, start, goal):
    if start == goal:
        return [start]
    visited = set()
    visited.add(start)
    previous = {}
    queue = [start]
    head = 0
    found = False
    # a list with a moving head index works as a queue
    while head < len(queue):
        node = queue[head]
        head = head + 1
        neighbours = graph.get(node, [])
        for neighbour in neighbours:
            if neighbour not in visited:
                visited.add(neighbour)
                previous[neighbour] = node
                queue.append(neighbour)
                if neighbour == goal:
                    found = True
                    break
        if found:
            break
    if not found:
        return None
    path = []
    current = goal
    while current != start:
        path.append(current)
        current = previous[current]
    path.append(start)
    path.reverse()
    return path
