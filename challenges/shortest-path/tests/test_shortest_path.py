"""Hidden tests for shortest-path: every sentence of the contract, against a model.

Any shortest path is right, so no test expects one path: the check verifies
what the candidate returned (a list from start to goal whose every step is an
edge of the graph, as long as the model's breadth-first distance says).
"""

from collections import deque

from hypothesis import example, given, strategies as st

from grader.harness.program import Program, Satisfies, cited, show

POOL = [0, 1, 2, 3, 4, 5, 6, 7, "a", "b", "c"]
nodes = st.sampled_from(POOL)

RETURNS = ("Returns a shortest path from start to goal as the list of nodes visited, both ends included, "
           "following edges of graph")
SAME = "[start] when start == goal"
UNREACHABLE = "None when goal cannot be reached."
SIGNATURE = "def shortest_path(graph: dict, start, goal) -> list | None"


def distance(graph, start, goal):
    """The model: the fewest edges from start to goal (breadth-first), or None."""
    if start == goal:
        return 0
    seen = {start: 0}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for neighbour in graph.get(node, []):
            if neighbour not in seen:
                seen[neighbour] = seen[node] + 1
                if neighbour == goal:
                    return seen[neighbour]
                queue.append(neighbour)
    return None


def reachable(graph, start):
    seen, queue = [start], deque([start])
    while queue:
        for neighbour in graph.get(queue.popleft(), []):
            if neighbour not in seen:
                seen.append(neighbour)
                queue.append(neighbour)
    return seen


def same_node(a, b):
    """1 and "1" are different nodes, and so are 1 and 1.0 or True in a returned path."""
    return type(a) is type(b) and a == b


def edges(count):
    return f"{count} edge" if count == 1 else f"{count} edges"


def path_problem(graph, start, goal, value, want):
    """Why ``value`` is not a shortest path of ``want`` edges, or None."""
    if value is None:
        return cited(f"{show(goal)} can be reached from {show(start)} in {edges(want)}", RETURNS)
    if type(value) is not list:
        return cited(f"shortest_path must return a list, not a {type(value).__name__}", SIGNATURE)
    if not value:
        return cited("the path is empty; it holds both ends", RETURNS)
    if not same_node(value[0], start):
        return cited(f"the path starts at {show(value[0])}, not at start {show(start)} (both ends are included)",
                     RETURNS)
    if not same_node(value[-1], goal):
        return cited(f"the path ends at {show(value[-1])}, not at goal {show(goal)} (both ends are included)", RETURNS)
    for u, v in zip(value, value[1:]):
        try:
            neighbours = graph.get(u, [])
        except TypeError:
            neighbours = []
        if not any(same_node(v, w) for w in neighbours):
            return cited(f"{show(u)} -> {show(v)} is not an edge of graph", RETURNS)
    if len(value) - 1 != want:
        return cited(f"the path has {edges(len(value) - 1)}, but a shortest one has {want}", RETURNS)
    return None


def answer(graph, start, goal):
    """The expectation for shortest_path(graph, start, goal), decided by the model."""
    want = distance(graph, start, goal)
    if want is None:
        return Satisfies(lambda value: None if value is None else cited(
            f"{show(goal)} cannot be reached from {show(start)}", UNREACHABLE), "None")
    if want == 0:
        return Satisfies(lambda value: None if type(value) is list and len(value) == 1 and same_node(value[0], start)
                         else cited("start == goal", SAME), show([start]))
    return Satisfies(lambda value: path_problem(graph, start, goal, value, want),
                     f"a path of {edges(want)} from {show(start)} to {show(goal)} (any shortest one)")


def expect_path(graph, start, goal):
    program = Program()
    program.call("shortest_path", graph, start, goal).expect(answer(graph, start, goal))
    return program


@st.composite
def graphs(draw, pool=POOL, max_degree=4):
    """Any graph over the pool: some nodes are keys, some only neighbours, some absent."""
    keys = draw(st.lists(st.sampled_from(pool), unique=True, max_size=len(pool)))
    return {key: draw(st.lists(st.sampled_from(pool), max_size=max_degree)) for key in keys}


@st.composite
def cases(draw, pool=POOL):
    """A graph, a start, and a goal that is mostly reachable from it (and often far)."""
    graph = draw(graphs(pool))
    start = draw(st.sampled_from(pool))
    if draw(st.integers(0, 3)):
        goal = draw(st.sampled_from(reachable(graph, start)[-3:]))
    else:
        goal = draw(st.sampled_from(pool))
    return graph, start, goal


@st.composite
def decoys(draw):
    """A long path to the goal listed first and a shorter one later: depth-first search, or a
    breadth-first search that re-parents a node it pushed twice, returns the long one."""
    order = draw(st.permutations(POOL))
    long_edges = draw(st.integers(2, 5))
    short_edges = draw(st.integers(1, long_edges - 1))
    start, goal = order[0], order[1]
    long_path = [start] + list(order[2:2 + long_edges - 1]) + [goal]
    short_path = [start] + list(order[2 + long_edges - 1:2 + long_edges - 1 + short_edges - 1]) + [goal]
    graph = {}
    for path in (long_path, short_path):
        for u, v in zip(path, path[1:]):
            graph.setdefault(u, []).append(v)
    if draw(st.booleans()):          # back edges to the start: cycles
        for u in long_path[1:-1]:
            graph[u].append(start)
    return graph, start, goal


# The classic mistakes, tried under every seed: depth-first search (1 -> 2 -> 3), a node re-parented
# when pushed twice (s -> w -> g), a path without its start, or its goal, or reversed.
@example(case=({1: [2, 3], 2: [3]}, 1, 3))
@example(case=({"s": ["w", "g"], "w": ["g"]}, "s", "g"))
@example(case=({"A": ["B", "C"], "B": ["D"], "C": ["D", "E"], "D": ["F"], "E": ["F"]}, "A", "F"))
@example(case=({0: [1], 1: [2], 2: [3]}, 0, 3))
@given(case=st.one_of(cases(), decoys()))
def test_returns_a_shortest_path(candidate, case):
    """Returns a shortest path from start to goal as the list of nodes visited, both ends included,
    following edges of graph."""
    candidate.check(expect_path(*case))


@st.composite
def layered(draw):
    """Layers of one to three nodes, every node linked to every node of the next layer (neighbours
    in any order), and back edges: many shortest paths of the same length."""
    order = list(draw(st.permutations(POOL)))
    sizes = draw(st.lists(st.integers(1, 3), min_size=2, max_size=4))
    layers = [[order.pop()]]
    for size in sizes:
        layers.append([order.pop() for _ in range(min(size, len(order)))])
    graph = {}
    for here, after in zip(layers, layers[1:]):
        for u in here:
            graph[u] = list(draw(st.permutations(after)))
    for layer in layers[1:]:
        for u in layer:
            if draw(st.booleans()):
                graph.setdefault(u, []).append(draw(st.sampled_from(layers[0] + layers[1])))
    return graph, layers[0][0], draw(st.sampled_from(layers[-1]))


@example(case=({"A": ["B", "C"], "B": ["D"], "C": ["D"]}, "A", "D"))
@given(case=layered())
def test_any_one_of_several_shortest_paths_is_accepted(candidate, case):
    """When several shortest paths exist, any one of them is accepted."""
    candidate.check(expect_path(*case))


@example(graph={}, start="x", self_loop=False)
@example(graph={1: [2], 2: [1]}, start=1, self_loop=True)
@given(graph=graphs(), start=nodes, self_loop=st.booleans())
def test_start_equal_to_goal_gives_start(candidate, graph, start, self_loop):
    """[start] when start == goal (whether or not start is in graph, even with a self-loop)."""
    if self_loop:
        graph = {**graph, start: graph.get(start, []) + [start]}
    candidate.check(expect_path(graph, start, start))


@st.composite
def unreachable(draw):
    """A goal the start cannot reach: absent from the graph, a node with only outgoing edges into
    the start's part (which has cycles), or a node of another part."""
    graph = draw(graphs())
    start = draw(nodes)
    seen = reachable(graph, start)
    if len(seen) > 1:          # a cycle through the start's part, so a search without marks never ends
        graph.setdefault(seen[-1], []).append(start)
    others = [node for node in POOL + ["z"] if node not in seen]
    goal = draw(st.sampled_from(others))
    if draw(st.booleans()):
        graph[goal] = draw(st.lists(st.sampled_from(seen), min_size=1, max_size=3))
    return graph, start, goal


@example(case=({1: [2], 2: [1], 3: [1]}, 1, 3))
@example(case=({}, "x", "y"))
@given(case=unreachable())
def test_unreachable_goal_gives_none(candidate, case):
    """None when goal cannot be reached."""
    candidate.check(expect_path(*case))


@st.composite
def sinks(draw):
    """A path whose goal is only a neighbour (not a key of graph), besides nodes that are keys of
    nothing; or a start that is not a key at all."""
    order = draw(st.permutations(POOL))
    length = draw(st.integers(1, 4))
    path = list(order[:length + 1])
    start, goal = path[0], path[-1]
    graph = {u: [v] for u, v in zip(path, path[1:])}
    for node in order[length + 1:]:
        if draw(st.booleans()):
            graph[draw(st.sampled_from(path[:-1]))].append(node)      # dead ends, not keys either
    if draw(st.integers(0, 3)) == 0:
        start = order[-1]                                             # a start with no outgoing edges
        graph.pop(start, None)
        for neighbours in graph.values():
            while start in neighbours:
                neighbours.remove(start)
    return graph, start, goal


@example(case=({"a": ["b"]}, "a", "b"))
@example(case=({"a": ["b"]}, "c", "a"))
@given(case=sinks())
def test_a_node_that_is_no_key_has_no_outgoing_edges(candidate, case):
    """A node that appears only as a neighbour, or not at all, has no outgoing edges."""
    candidate.check(expect_path(*case))


@st.composite
def loopy(draw):
    """A path to the goal whose nodes have self-loops, repeated edges and edges back to earlier
    nodes, their neighbours in any order."""
    order = draw(st.permutations(POOL))
    length = draw(st.integers(1, 6))
    path = list(order[:length + 1])
    graph = {}
    for index, (u, v) in enumerate(zip(path, path[1:])):
        extra = [u] * draw(st.integers(0, 2)) + [v] * draw(st.integers(0, 2))
        extra += draw(st.lists(st.sampled_from(path[:index + 1]), max_size=2))
        graph[u] = list(draw(st.permutations([v] + extra)))
    if draw(st.booleans()):
        graph[path[-1]] = [path[-1], path[0]]
    return graph, path[0], path[-1]


@example(case=({1: [1, 2, 2], 2: [1, 3]}, 1, 3))
@given(case=loopy())
def test_self_loops_cycles_and_repeated_edges_are_allowed(candidate, case):
    """Self-loops, cycles and repeated edges are allowed."""
    candidate.check(expect_path(*case))


MIXED = [1, 2, 3, 4, "1", "2", "3", "4"]


@example(case=({1: ["2", 2], "2": ["3"], 2: [3]}, 1, "3"))
@given(case=cases(MIXED))
def test_nodes_may_be_ints_and_strings(candidate, case):
    """Nodes are hashable values (ints and strings in the tests): 1 and "1" are different nodes."""
    candidate.check(expect_path(*case))


@example(case=({1: [2, 3], 2: [3]}, 1, 4))
@given(case=st.one_of(cases(), unreachable(), sinks()))
def test_graph_is_not_modified(candidate, case):
    """graph is not modified."""
    program = Program()
    program.call("shortest_path", *case).leaves_args_unchanged()   # the answer is the other tests' concern
    candidate.check(program)
