def shortest_path(graph, start, goal):
    if start == goal:
        return [start]
    par = {start: start}
    level = [start]
    while level:
        nxt = []
        for u in level:
            for v in graph.get(u, ()):
                if v in par:
                    continue
                par[v] = u
                if v == goal:
                    p = [v]
                    while p[-1] != start:
                        p.append(par[p[-1]])
                    return p[::-1]
                nxt.append(v)
        level = nxt
    return None
