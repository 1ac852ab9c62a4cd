"""Hidden tests for lru-cache: every sentence of the contract, against a model."""

from collections import OrderedDict

from hypothesis import example, given, strategies as st

from grader.harness.program import Program, Raises

keys = st.integers(min_value=-3, max_value=8)
values = st.integers(min_value=-1000, max_value=1000)
operations = st.lists(
    st.one_of(st.tuples(st.just("get"), keys), st.tuples(st.just("put"), keys, values)),
    max_size=40,
)


class Model:
    """A plain LRU cache: an OrderedDict from least to most recent, so the
    model costs O(1) a call (the tests fill capacities of 1,000; a list
    scanned on every call made the host's model the slowest part)."""

    def __init__(self, capacity):
        self.capacity = capacity
        self.items = OrderedDict()  # key -> value, least recent first

    def get(self, key):
        if key not in self.items:
            return -1
        self.items.move_to_end(key)
        return self.items[key]

    def put(self, key, value):
        if key in self.items:
            self.items.move_to_end(key)
        elif len(self.items) == self.capacity:
            self.items.popitem(last=False)
        self.items[key] = value


def program_for(capacity, ops):
    program = Program()
    model = Model(capacity)
    cache = program.new("LRUCache", capacity, name="c")
    for op in ops:
        if op[0] == "get":
            program.method(cache, "get", op[1]).expect(model.get(op[1]))
        else:
            program.method(cache, "put", op[1], op[2])
            model.put(op[1], op[2])
    return program


# The classic mistakes, tried under every seed (a random mix finds some of them only by luck):
# a get that does not refresh recency, an update that does not, evicting the most recent key,
# holding one key too many, an update that evicts.
@example(capacity=2, ops=[("put", 1, 1), ("put", 2, 2), ("get", 1), ("put", 3, 3), ("get", 1), ("get", 2),
                          ("get", 3)])
@example(capacity=2, ops=[("put", 1, 1), ("put", 2, 2), ("put", 1, 10), ("put", 3, 3), ("get", 2), ("get", 1),
                          ("get", 3)])
@example(capacity=3, ops=[("put", 1, 1), ("put", 2, 2), ("put", 3, 3), ("get", 2), ("get", 1), ("put", 4, 4),
                          ("get", 3), ("get", 2), ("get", 1), ("get", 4), ("put", 5, 5), ("get", 2)])
@example(capacity=1, ops=[("put", 1, 1), ("put", 1, 2), ("get", 1), ("put", 2, 3), ("get", 1), ("get", 2)])
@given(capacity=st.integers(min_value=1, max_value=4), ops=operations)
def test_behaves_like_an_lru_cache(candidate, capacity, ops):
    """Any mix of get and put behaves like a reference LRU cache."""
    candidate.check(program_for(capacity, ops))


@given(capacity=st.integers(min_value=-5, max_value=0))
def test_capacity_below_one_raises_value_error(candidate, capacity):
    """LRUCache(c) with c < 1 raises ValueError."""
    program = Program()
    program.new("LRUCache", capacity, name="c").expect(Raises(ValueError))
    candidate.check(program)


@given(capacity=st.integers(min_value=1, max_value=5), key=keys)
def test_get_of_missing_key_returns_minus_one(candidate, capacity, key):
    """get returns -1 for a key that was never put."""
    program = Program()
    cache = program.new("LRUCache", capacity, name="c")
    program.method(cache, "get", key).expect(-1)
    candidate.check(program)


@given(capacity=st.integers(min_value=1, max_value=5), data=st.data())
def test_fills_to_capacity_without_evicting(candidate, capacity, data):
    """Up to capacity distinct keys are all kept."""
    stored = data.draw(st.lists(keys, min_size=capacity, max_size=capacity, unique=True))
    program = Program()
    cache = program.new("LRUCache", capacity, name="c")
    for key in stored:
        program.method(cache, "put", key, key * 10)
    for key in stored:
        program.method(cache, "get", key).expect(key * 10)
    candidate.check(program)


@given(capacity=st.integers(min_value=1, max_value=4), data=st.data())
def test_evicts_the_least_recently_used_key(candidate, capacity, data):
    """Inserting a new key into a full cache evicts the least recently used one."""
    stored = data.draw(st.lists(keys, min_size=capacity + 1, max_size=capacity + 1, unique=True))
    program = Program()
    cache = program.new("LRUCache", capacity, name="c")
    for key in stored:
        program.method(cache, "put", key, 1)
    program.method(cache, "get", stored[0]).expect(-1)
    for key in stored[1:]:
        program.method(cache, "get", key).expect(1)
    candidate.check(program)


@given(capacity=st.integers(min_value=2, max_value=4), data=st.data())
def test_get_makes_a_key_most_recently_used(candidate, capacity, data):
    """A hit refreshes the key, so the next eviction takes another one."""
    stored = data.draw(st.lists(keys, min_size=capacity + 1, max_size=capacity + 1, unique=True))
    program = Program()
    cache = program.new("LRUCache", capacity, name="c")
    for key in stored[:capacity]:
        program.method(cache, "put", key, 1)
    program.method(cache, "get", stored[0]).expect(1)
    program.method(cache, "put", stored[capacity], 2)
    program.method(cache, "get", stored[0]).expect(1)
    program.method(cache, "get", stored[1]).expect(-1)
    candidate.check(program)


@given(capacity=st.integers(min_value=1, max_value=4), data=st.data())
def test_updating_a_key_never_evicts_and_refreshes_it(candidate, capacity, data):
    """put on an existing key updates its value, never evicts, and makes it most recent."""
    stored = data.draw(st.lists(keys, min_size=capacity + 1, max_size=capacity + 1, unique=True))
    updated = data.draw(st.sampled_from(stored[:capacity]))
    program = Program()
    cache = program.new("LRUCache", capacity, name="c")
    for key in stored[:capacity]:
        program.method(cache, "put", key, 1)
    program.method(cache, "put", updated, 5)
    # Every key is still there; read them oldest first so the recency order stays as it was.
    recency = [k for k in stored[:capacity] if k != updated] + [updated]
    for key in recency:
        program.method(cache, "get", key).expect(5 if key == updated else 1)
    program.method(cache, "put", stored[capacity], 3)
    evicted = recency[0]
    program.method(cache, "get", evicted).expect(-1)
    program.method(cache, "get", stored[capacity]).expect(3)
    candidate.check(program)


@given(capacity=st.sampled_from([257, 300, 1000]), refreshed=st.integers(min_value=0, max_value=9))
def test_a_large_cache_holds_exactly_its_capacity(candidate, capacity, refreshed):
    """Capacities above 256 behave the same (no identity comparison of ints, which holds only
    for small ones): the cache fills to capacity, then evicts the least recently used key."""
    program = Program()
    model = Model(capacity)
    cache = program.new("LRUCache", capacity, name="c")
    for key in range(capacity):
        program.method(cache, "put", key, key)
        model.put(key, key)
    program.method(cache, "get", refreshed).expect(model.get(refreshed))
    for key in range(capacity, capacity + 3):
        program.method(cache, "put", key, key)
        model.put(key, key)
    for key in list(range(12)) + [capacity - 1, capacity, capacity + 2]:
        program.method(cache, "get", key).expect(model.get(key))
    candidate.check(program)
