def shortest_path(graph: dict, start, goal) -> list | None:
    """Return a shortest path from start to goal in graph, as the list of nodes
    visited (both ends included); [start] when start == goal; None when goal
    cannot be reached. graph maps each node to the list of nodes it has an edge to."""
    raise NotImplementedError
