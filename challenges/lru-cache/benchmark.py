"""Benchmark spec for lru-cache: get and put at capacity n, on a full cache.

Worst case for a list- or scan-based cache: random keys (so the key is
anywhere in the recency order), and puts that alternate new keys (each
evicts) with updates of random existing keys.
"""

from grader.complexity.spec import Operation

BATCH = 10_000

WORKLOAD = f'''
import random

def full_cache(solution, n, seed):
    rng = random.Random(seed)
    cache = solution.LRUCache(n)
    keys = list(range(n))
    rng.shuffle(keys)
    for key in keys:
        cache.put(key, key)
    return cache, rng

def setup_get(solution, n, seed):
    cache, rng = full_cache(solution, n, seed)
    return cache, [rng.randrange(n) for _ in range({BATCH})]

def run_get(state):
    cache, keys = state
    get = cache.get
    return [get(key) for key in keys]

def setup_put(solution, n, seed):
    cache, rng = full_cache(solution, n, seed)
    # New keys (each evicts) alternate with updates of keys anywhere in the order.
    return cache, [n + i if i % 2 else rng.randrange(n) for i in range({BATCH})]

def run_put(state):
    cache, keys = state
    put = cache.put
    for key in keys:
        put(key, key)
    # What the puts left: the newest keys are held, the oldest evicted.
    get = cache.get
    return [get(key) for key in keys[-50:]] + [get(key) for key in range(50)]
'''

OPERATIONS = [
    Operation(name="get", expected="O(1)", setup="setup_get", run="run_get", sizes=(500, 50_000),
              axis="capacity"),
    Operation(name="put", expected="O(1)", setup="setup_put", run="run_put", sizes=(500, 50_000),
              axis="capacity"),
]
