# A breadth-first search whose queue is a list emptied with list.pop(0) (O(n) a pop): right
# answers, but list.pop(0) is forbidden (a rule violation, not a complexity case).


def shortest_path(graph, start, goal):
    if start == goal:
        return [start]
    parent = {start: start}
    queue = [start]
    while queue:
        node = queue.pop(0)
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
