"""Benchmark spec for hash-map: n keys with well-spread hashes (random ints).

* "get, in and len": lookups of held and absent keys, and len, on a map
  holding n keys (a table that never grows has chains of length ~n);
* "put and remove": a map holding n keys, each step removing a key, putting
  a new one and replacing the value of another, so it keeps holding n
  (open addressing whose deleted slots are never reclaimed slows down here);
* "n puts into an empty map": the table must grow as it fills, by a factor
  (growing by a constant number of slots rehashes O(n) times).

Each batch's answer is what the map answered (values, True/False, lengths).
"""

from grader.complexity.spec import Operation

BATCH = 3_000

WORKLOAD = f'''
import random

def _filled(solution, n, seed):
    rng = random.Random(seed)
    keys = rng.sample(range(10 ** 12), n + {BATCH})
    table = solution.HashMap()
    for key in keys[:n]:
        table.put(key, key % 1000)
    return rng, table, keys[:n], keys[n:]

def setup_lookups(solution, n, seed):
    rng, table, held, absent = _filled(solution, n, seed)
    return table, [rng.choice(held) if i % 2 else absent[i] for i in range({BATCH})]

def run_lookups(state):
    table, probes = state
    get = table.get
    contains = table.__contains__
    size = table.__len__
    return [(get(key, -1), contains(key), size()) for key in probes]

def setup_churn(solution, n, seed):
    rng, table, held, fresh = _filled(solution, n, seed)
    return rng, table, held, fresh

def run_churn(state):
    rng, table, held, fresh = state
    put, remove = table.put, table.remove
    answers = []
    for i in range({BATCH}):
        slot = rng.randrange(len(held))
        answers.append(remove(held[slot]))
        held[slot] = fresh[i]
        put(fresh[i], i)
        put(held[rng.randrange(len(held))], -i)
    answers.append(len(table))
    answers.extend(table.get(key) for key in held[-50:])
    return answers

def setup_grow(solution, n, seed):
    rng = random.Random(seed)
    return solution.HashMap, [[rng.randrange(10 ** 12) for _ in range(n)] for _ in range(max(1, 10_000 // n))]

def run_grow(state):
    HashMap, rounds = state
    answers = []
    for keys in rounds:
        table = HashMap()
        put = table.put
        for index, key in enumerate(keys):
            put(key, index)
        answers.append([len(table)] + [table.get(key) for key in keys[:: max(1, len(keys) // 50)]])
    return answers
'''

OPERATIONS = [
    Operation(name="get, in and len", expected="O(1)", setup="setup_lookups", run="run_lookups",
              sizes=(500, 20_000), axis="keys held"),
    Operation(name="put and remove", expected="O(1)", setup="setup_churn", run="run_churn",
              sizes=(500, 20_000), axis="keys held"),
    Operation(name="n puts into an empty map", expected="O(n)", setup="setup_grow", run="run_grow",
              sizes=(250, 10_000), axis="keys put"),
]
