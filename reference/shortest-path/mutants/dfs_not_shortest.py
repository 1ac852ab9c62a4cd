# Depth-first search: returns the first path it walks into the goal, which need not be a shortest
# one ({1: [2, 3], 2: [3]} from 1 to 3 gives [1, 2, 3], not [1, 3]).


def shortest_path(graph, start, goal):
    path = [start]
    visited = {start}
    branches = [iter(graph.get(start, []))]
    while path:
        if path[-1] == goal:
            return path
        for neighbour in branches[-1]:
            if neighbour not in visited:
                visited.add(neighbour)
                path.append(neighbour)
                branches.append(iter(graph.get(neighbour, [])))
                break
        else:
            path.pop()
            branches.pop()
    return None
