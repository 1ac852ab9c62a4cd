"""Benchmark spec for shortest-path: shortest_path on graphs of n nodes.

Two shapes, each its own operation:

* a random sparse graph (about 4n edges, repeated edges and self-loops
  included) searched between random nodes, so most of it is explored;
* a long path 0 -> 1 -> ... -> n-1 with edges back to earlier nodes and
  self-loops: the answer has n nodes, so a search that queues a copy of the
  path for every node it reaches does O(n^2) work.

Any shortest path is right, so a batch's answer is, for each query, the
path's length and whether it is a path of the graph from start to goal,
never the path itself (two right answers must compare equal).
"""

from grader.complexity.spec import Operation

WORKLOAD = '''
import random

def _queries(solution, graph, queries):
    return solution.shortest_path, graph, queries

def setup_random(solution, n, seed):
    rng = random.Random(seed)
    degrees = rng.choices(range(8), k=n)
    targets = iter(rng.choices(range(n), k=sum(degrees)))
    graph = {node: [next(targets) for _ in range(degree)] for node, degree in enumerate(degrees)}
    for node in rng.sample(range(n), max(1, n // 50)):
        graph[node].append(node)
    queries = [(rng.randrange(n), rng.randrange(n)) for _ in range(max(2, 60_000 // n))]
    return _queries(solution, graph, queries)

def setup_long_path(solution, n, seed):
    rng = random.Random(seed)
    graph = {}
    coins = rng.choices((True, False), k=n)
    for node in range(n - 1):
        back = [int(rng.random() * (node + 1)), int(rng.random() * (node + 1))]
        graph[node] = back + [node + 1] if coins[node] else [node + 1] + back
    graph[n - 1] = [n - 1, 0]
    queries = [(0, n - 1), (rng.randrange(n // 2), n - 1 - rng.randrange(n // 4))] * max(1, 20_000 // n)
    return _queries(solution, graph, queries)

def run(state):
    shortest_path, graph, queries = state
    answers = []
    for start, goal in queries:
        path = shortest_path(graph, start, goal)
        if type(path) is not list:
            answers.append(repr(path) if path is None else "not a list")
            continue
        valid = bool(path) and path[0] == start and path[-1] == goal and all(
            v in graph.get(u, ()) for u, v in zip(path, path[1:]))    # a few neighbours each
        answers.append((len(path), valid))
    return answers
'''

OPERATIONS = [
    Operation(name="shortest_path (random sparse graph)", expected="O(n)", setup="setup_random", run="run",
              sizes=(500, 20_000), axis="nodes (about 4 edges each)"),
    Operation(name="shortest_path (long path with back edges)", expected="O(n)", setup="setup_long_path", run="run",
              sizes=(500, 20_000), axis="nodes on the path"),
]
