"""The value codec that carries data across the boundary."""

import json

from hypothesis import given, strategies as st

from grader.agent.agent import IterableProbe, ListSubclass, Opaque, Probe, decode, encode
from grader.harness.program import same

plain = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text() | st.binary(),
    lambda children: st.lists(children) | st.tuples(children, children)
    | st.dictionaries(st.text(), children) | st.frozensets(st.integers()),
    max_leaves=30,
)


def roundtrip(value):
    return decode(json.loads(json.dumps(encode(value))))


@given(plain)
def test_plain_data_survives_the_trip_with_its_types(value):
    assert same(roundtrip(value), value)


def test_depth_of_a_hundred_thousand_does_not_recurse():
    deep = inner = []
    for _ in range(100_000):
        inner.append([])
        inner = inner[0]
    inner.append(7)
    result = roundtrip(deep)
    depth = 0
    while result != [7]:
        result = result[0]
        depth += 1
    assert depth == 100_000
    assert same(roundtrip(deep), deep)


def test_shared_references_stay_shared():
    shared = [1, 2]
    result = roundtrip([shared, shared, (shared,)])
    assert result[0] is result[1] is result[2][0]


def test_builtin_subclasses_cross_as_their_base_type():
    class Sneaky(str):
        def __eq__(self, other):
            return True

        __hash__ = str.__hash__

    class Counting(int):
        def __index__(self):
            return 99

    result = roundtrip([Sneaky("abc"), Counting(3)])
    assert type(result[0]) is str and result[0] == "abc"
    assert type(result[1]) is int and result[1] == 3


def test_objects_that_are_not_data_become_opaque_and_never_equal():
    class AlwaysEqual:
        def __eq__(self, other):
            return True

    result = roundtrip(AlwaysEqual())
    assert isinstance(result, Opaque)
    assert "AlwaysEqual" in result.type_name
    assert result != result
    assert not same(result, 1)


def test_probes_and_list_subclasses_keep_kind_and_identity():
    probes = {}
    value = decode(encode([Probe(1), Probe(1), IterableProbe(2), ListSubclass([3])]), probes)
    assert value[0] is value[1]
    assert isinstance(value[2], IterableProbe)
    assert type(value[3]) is ListSubclass and value[3] == [3]


def test_strict_equality_tells_bool_from_int_and_tuple_from_list():
    assert not same(True, 1)
    assert not same((1, 2), [1, 2])
    assert not same([1.0], [1])
    assert same({"a": (1, [2])}, {"a": (1, [2])})


def test_surrogate_pairs_stay_two_code_points():
    for text in ("\ud800\udc00", "a\udc00\ud800b", "\U0001f600", "plain"):
        result = roundtrip([text])[0]
        assert result == text and len(result) == len(text)
