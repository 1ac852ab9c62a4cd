"""Hidden tests for hash-map: every sentence of the contract, against a model.

The model is a Python dict (the hidden tests may use one; only the submission
may not): the contract's keys are compared as a dict compares them. Keys that
cannot cross as data (objects with a constant hash) are built in the sandbox
by the ``colliding_key`` fixture, a new object at every use, and modelled on
the host by ``Collider``, which hashes and compares the same way.
"""

from hypothesis import example, given, strategies as st

from grader.agent.agent import Ref
from grader.harness.program import Program, Raises

KEYS_SENTENCE = ("Keys are any hashable objects, compared as Python compares them: hash(key) then ==, so 1, 1.0 "
                 "and True are the same key, and distinct keys with equal hashes ... must both be kept.")


class Collider:
    """The host's model of the sandbox's CollidingKey: a constant hash, equal to the keys of its label."""

    def __init__(self, label, hash_value=7):
        self.label = label
        self.hash_value = hash_value

    def __hash__(self):
        return self.hash_value

    def __eq__(self, other):
        if type(other) is not Collider:
            return NotImplemented
        return self.label == other.label

    def __repr__(self):
        return f"colliding_key({self.label!r}, hash={self.hash_value})"


MISSING = object()

# hash(-1) == hash(-2) == -2 and hash(2**61 - 1) == hash(0) == 0 in CPython; 1 == 1.0 == True.
KEYS = [0, 1, 2, 7, -1, -2, 1000, 2**61 - 1, 1.0, 0.5, -1.0, -2.0, True, False, "a", "b", "1", "", (1, 2),
        (1.0, 2.0), (-1,), (-2,), None, Collider("p"), Collider("q"), Collider("r", 0), Collider("s", -2)]
VALUES = [0, 1, 2, -1, "x", "y", None, 1000]
keys = st.sampled_from(KEYS)
values = st.sampled_from(VALUES)


class Script:
    """A program of calls on one HashMap in the sandbox, each expectation decided by a dict."""

    def __init__(self):
        self.program = Program()
        self.map = self.program.new("HashMap", name="m")
        self.model = {}
        self.made = 0

    def key(self, key):
        """The key as an argument: a plain value crosses as data; a Collider is a new
        colliding_key built in the sandbox for this call (equal to, but not, the earlier ones)."""
        if not isinstance(key, Collider):
            return key
        self.made += 1
        name = f"k{self.made}"
        self.program.fixture("colliding_key", key.label, key.hash_value, name=name,
                             shows=f"{name} = colliding_key({key.label!r}, hash={key.hash_value})")
        return Ref(name)

    def put(self, key, value):
        self.program.method(self.map, "put", self.key(key), value)
        self.model[key] = value

    def get(self, key, default=MISSING):
        if default is MISSING:
            self.program.method(self.map, "get", self.key(key)).expect(self.model.get(key))
        else:
            self.program.method(self.map, "get", self.key(key), default).expect(self.model.get(key, default))

    def remove(self, key):
        self.program.method(self.map, "remove", self.key(key)).expect(key in self.model)
        self.model.pop(key, None)

    def contains(self, key):
        # Called as m.__contains__(key), as the transcript shows it: `key in m` would turn any
        # answer into a bool, and the contract asks for a bool.
        self.program.method(self.map, "__contains__", self.key(key)).expect(key in self.model)

    def len(self):
        self.program.method(self.map, "__len__").expect(len(self.model))

    def run(self, ops):
        for op in ops:
            getattr(self, op[0])(*op[1:])
        return self


operations = st.lists(st.one_of(
    st.tuples(st.just("put"), keys, values),
    st.tuples(st.just("get"), keys),
    st.tuples(st.just("get"), keys, values),
    st.tuples(st.just("remove"), keys),
    st.tuples(st.just("contains"), keys),
    st.tuples(st.just("len")),
), max_size=40)


# The classic mistakes, tried under every seed: colliding keys kept as one (-1 and -2, constant
# hashes), keys compared with `is` (1, 1.0 and True; fresh colliding keys), len counting a replace,
# remove of an absent key, `in` as `get(key) is not None`.
@example(ops=[("put", -1, "x"), ("put", -2, "y"), ("get", -1), ("get", -2), ("len",), ("remove", -1), ("get", -2),
              ("contains", -1), ("len",)])
@example(ops=[("put", Collider("p"), 1), ("put", Collider("q"), 2), ("put", 7, 3), ("get", Collider("p")),
              ("get", Collider("q")), ("get", 7), ("len",), ("remove", Collider("q")), ("contains", Collider("p")),
              ("contains", Collider("q"))])
@example(ops=[("put", 1, "x"), ("put", True, "y"), ("get", 1.0), ("len",), ("remove", 1.0), ("len",),
              ("contains", True)])
@example(ops=[("put", "a", 1), ("put", "a", 2), ("len",), ("remove", "b"), ("remove", "a"), ("remove", "a"),
              ("len",)])
@example(ops=[("put", 0, None), ("contains", 0), ("get", 0, "x"), ("len",)])
@given(ops=operations)
def test_behaves_like_a_dict(candidate, ops):
    """Keys are any hashable objects, compared as Python compares them: hash(key) then == (a dict's answers)."""
    candidate.check(Script().run(ops).program)


EQUAL_KEYS = [[1, 1.0, True], [0, 0.0, False, -0.0], [-1, -1.0], [(1, 2), (1.0, 2.0), (True, 2)],
              [Collider("p"), Collider("p"), Collider("p")]]


@given(group=st.sampled_from(EQUAL_KEYS), others=st.lists(keys, max_size=4), data=st.data())
def test_one_one_point_zero_and_true_are_the_same_key(candidate, group, others, data):
    """1, 1.0 and True are the same key (equal keys of other types, or other objects, find it)."""
    group = data.draw(st.permutations(group))
    script = Script()
    for key in others:
        script.put(key, "other")
    script.put(group[0], "first")
    for key in group:
        script.get(key)
        script.contains(key)
    script.put(group[-1], "replaced")
    script.len()
    for key in group:
        script.get(key, "absent")
    script.remove(group[1])
    for key in group:
        script.contains(key)
    script.len()
    candidate.check(script.program)


EQUAL_HASHES = [[-1, -2], [-1.0, -2.0], [(-1,), (-2,)], [0, 2**61 - 1, Collider("r", 0)],
                [7, Collider("p"), Collider("q"), Collider("t"), Collider("u")], [-2, Collider("s", -2)]]


@given(group=st.sampled_from(EQUAL_HASHES), others=st.lists(keys, max_size=4), data=st.data())
def test_distinct_keys_with_equal_hashes_are_both_kept(candidate, group, others, data):
    """Distinct keys with equal hashes (such as -1 and -2 in CPython, or objects whose __hash__ is
    constant) must both be kept."""
    group = data.draw(st.permutations(group))
    gone = data.draw(st.sampled_from(group))
    script = Script()
    for key in others:
        script.put(key, "other")
    for index, key in enumerate(group):
        script.put(key, index)
    for key in group:
        script.get(key)
    script.len()
    script.put(group[0], "replaced")
    script.remove(gone)
    for key in group:
        script.get(key, "absent")
        script.contains(key)
    script.len()
    candidate.check(script.program)


UNHASHABLE = [[1], [], {"a": 1}, {1, 2}, (1, [2])]


@given(key=st.sampled_from(UNHASHABLE), held=st.lists(keys, min_size=1, max_size=4))
def test_an_unhashable_key_raises_type_error(candidate, key, held):
    """An unhashable key (a list) raises TypeError, as hash(key) does, from every method (an empty map too)."""
    script = Script()
    for _ in range(2):
        script.program.method(script.map, "put", key, 1).expect(Raises(TypeError))
        script.program.method(script.map, "get", key).expect(Raises(TypeError))
        script.program.method(script.map, "get", key, "default").expect(Raises(TypeError))
        script.program.method(script.map, "remove", key).expect(Raises(TypeError))
        script.program.method(script.map, "__contains__", key).expect(Raises(TypeError))
        for other in held:
            script.put(other, 1)
    script.len()
    candidate.check(script.program)


@given(key=keys, first=values, second=values, others=st.lists(keys, max_size=5))
def test_put_inserts_or_replaces(candidate, key, first, second, others):
    """put inserts or replaces: a second put of a key replaces its value, and len counts it once."""
    script = Script()
    for other in others:
        script.put(other, "other")
    script.len()
    script.put(key, first)
    script.len()
    script.get(key, "absent")
    script.put(key, second)
    script.len()
    script.get(key, "absent")
    for other in others:
        script.get(other, "absent")
    candidate.check(script.program)


@given(held=st.lists(st.tuples(keys, values), max_size=6), missing=keys, default=values)
def test_get_returns_the_value_or_default(candidate, held, missing, default):
    """get returns the value, or default (None when not given) when the key is absent; a value may be None."""
    script = Script()
    script.get(missing)
    script.get(missing, default)
    for key, value in held:
        script.put(key, value)
    script.put("none", None)
    for key, _ in held:
        script.get(key, "absent")
    script.get("none", "absent")
    script.get(missing)
    script.get(missing, default)
    candidate.check(script.program)


@given(held=st.lists(keys, max_size=6), gone=keys, absent=keys)
def test_remove_returns_true_or_false(candidate, held, gone, absent):
    """remove deletes the key and returns True, or returns False when it is absent."""
    script = Script()
    script.remove(absent)
    for key in held + [gone]:
        script.put(key, 1)
    script.remove(absent)
    script.remove(gone)
    script.get(gone, "absent")
    script.contains(gone)
    script.len()
    script.remove(gone)
    for key in held:
        script.get(key, "absent")
    script.put(gone, 2)
    script.get(gone, "absent")
    script.len()
    candidate.check(script.program)


@given(ops=st.lists(st.one_of(st.tuples(st.just("put"), keys, values), st.tuples(st.just("remove"), keys)),
                    max_size=12), probes=st.lists(keys, max_size=6))
def test_in_and_len_tell_what_is_held(candidate, ops, probes):
    """key in map tells whether the key is held (True or False), and len(map) counts the keys held."""
    script = Script()
    script.len()
    for op in ops:
        getattr(script, op[0])(*op[1:])
        script.len()
    for key in probes:
        script.contains(key)
    script.put(None, None)
    script.contains(None)
    script.len()
    candidate.check(script.program)


@given(count=st.sampled_from([30, 60, 120]), start=st.integers(-10**6, 10**6), step=st.sampled_from([1, 8, 1024]),
       data=st.data())
def test_holds_many_keys_as_the_table_grows(candidate, count, start, step, data):
    """The table grows (resizes) as it fills, and keeps every key through each resize: many ints,
    strings and constant-hash keys, some removed."""
    colliding = [Collider(label) for label in "abcdef"]
    keys_held = colliding[:3] + [start + i * step for i in range(count)] + [f"s{i}" for i in range(count // 4)]
    keys_held += colliding[3:]
    keys_held = data.draw(st.permutations(keys_held))
    script = Script()
    for index, key in enumerate(keys_held):
        script.put(key, index)
    script.len()
    for key in keys_held:
        script.get(key, "absent")
    for key in keys_held[::3]:
        script.remove(key)
    script.len()
    for key in keys_held[:40] + colliding:
        script.contains(key)
    for key in keys_held[-40:]:
        script.get(key, "absent")
    candidate.check(script.program)
