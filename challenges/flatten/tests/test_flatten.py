"""Hidden tests for flatten: every sentence of the contract, against a model."""

from hypothesis import given, strategies as st

from grader.agent.agent import IterableProbe, ListSubclass, Probe, Ref
from grader.harness.program import Program

DEPTH = 100_000


def model_flatten(nested):
    """The simplest correct answer: walk the lists with an explicit stack of (list, position)."""
    result = []
    stack = [(nested, 0)]
    while stack:
        current, position = stack.pop()
        if position == len(current):
            continue
        stack.append((current, position + 1))
        item = current[position]
        if isinstance(item, list):
            stack.append((item, 0))
        else:
            result.append(item)
    return result


# --------------------------------------------------------------------------
# Nested inputs are drawn as flat token lists (one cheap draw per token, and
# they shrink by dropping tokens): OPEN starts a list, OPEN_SUBCLASS starts a
# ListSubclass, CLOSE ends the innermost one, anything else is an item.
# --------------------------------------------------------------------------

class _Marker:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name


OPEN, OPEN_SUBCLASS, CLOSE = _Marker("OPEN"), _Marker("OPEN_SUBCLASS"), _Marker("CLOSE")


def build(tokens):
    """The nested list a token list describes; lists left open are closed at the end."""
    top = []
    stack = [top]
    for token in tokens:
        if token is OPEN or token is OPEN_SUBCLASS:
            sublist = [] if token is OPEN else ListSubclass()
            stack[-1].append(sublist)
            stack.append(sublist)
        elif token is CLOSE:
            if len(stack) > 1:
                stack.pop()
        else:
            stack[-1].append(token)
    return top


def number_items(tokens):
    """The item tokens replaced by 0, 1, 2, ... in the order they appear."""
    counter = iter(range(len(tokens)))
    return [token if isinstance(token, _Marker) else next(counter) for token in tokens]


def nested_lists(simple_items, other_items=(), opens=(OPEN, OPEN_SUBCLASS), max_size=16, numbered=False):
    """Lists (of the kinds in opens) nested to any depth, holding the given items.

    About a third of the tokens open or close a list. Shrinking moves tokens
    towards the front of the table: the simple items first, then the markers.
    """
    unit = [*opens, CLOSE, CLOSE]
    copies = max(1, -(-(len(simple_items) + len(other_items)) // (2 * len(unit))))
    table = [*simple_items, *unit * copies, *other_items]
    tokens = st.lists(st.sampled_from(table), max_size=max_size)
    return tokens.map(lambda drawn: build(number_items(drawn) if numbered else drawn))


# Within a program one probe id is one object, so Probe and IterableProbe ids must not overlap.
PROBES = [Probe(1), Probe(2), IterableProbe(11), IterableProbe(12)]
FALSY = [0, None, False, "", (), b"", 0.0, {}, set(), frozenset()]
TUPLES = [(1, 2), (), ("a",), (1, [2, 3]), ([4], "x"), ((5, [6]), [[7]])]
OTHERS = ["ab", "a", "", b"xy", {"k": 1}, {1: [2, 3]}, {}, {1, 2}, set(), frozenset({3}),
          2.5, 0.0, True, False, None, *PROBES]
SMALL_INTS = [0, 1, 2, 3]


def expect_flattened(program, nested):
    return program.call("flatten", nested).expect(model_flatten(nested))


@given(nested=nested_lists(SMALL_INTS, FALSY + TUPLES + OTHERS))
def test_behaves_like_a_simple_flatten(candidate, nested):
    """Any nesting of lists and other objects flattens like a reference flatten."""
    program = Program()
    expect_flattened(program, nested)
    candidate.check(program)


@given(nested=nested_lists([None] * 8, numbered=True))
def test_returns_items_at_any_depth_in_left_to_right_order(candidate, nested):
    """Returns the non-list items of nested, at any depth, in left-to-right order."""
    program = Program()
    expect_flattened(program, nested)
    candidate.check(program)


@given(nested=nested_lists(SMALL_INTS, opens=(OPEN_SUBCLASS,)))
def test_list_subclasses_are_flattened(candidate, nested):
    """Instances of subclasses of list are flattened like lists."""
    program = Program()
    expect_flattened(program, [ListSubclass(nested), ListSubclass([ListSubclass([7]), 8])])
    candidate.check(program)


def check_each_is_an_item(candidate, items):
    """Each item alone, then each inside sublists, then all of them nested together."""
    for item in items:
        program = Program()
        program.call("flatten", [item]).expect([item])
        candidate.check(program)
    for item in items:
        program = Program()
        program.call("flatten", [1, [item, [item]], 2]).expect([1, item, item, 2])
        candidate.check(program)
    nested = []
    for item in reversed(items):
        nested = [item, nested] if nested else [item]
    program = Program()
    expect_flattened(program, nested)
    candidate.check(program)


def test_tuples_are_items(candidate):
    """Tuples are items, not flattened, even a tuple that holds lists."""
    check_each_is_an_item(candidate, TUPLES)


def test_strings_dicts_sets_and_other_objects_are_items(candidate):
    """Strings, bytes, dicts, sets and every other object (iterable or not) are items, returned as themselves."""
    check_each_is_an_item(candidate, OTHERS)


def test_falsy_items_are_kept(candidate):
    """Falsy items such as 0, None, False, "" and () are items like any other."""
    check_each_is_an_item(candidate, FALSY)


@given(nested=nested_lists([], [1, 2]))
def test_empty_lists_contribute_nothing(candidate, nested):
    """Empty lists contribute nothing."""
    program = Program()
    program.call("flatten", []).expect([])
    program.call("flatten", [[], [[]], ListSubclass()]).expect([])
    expect_flattened(program, nested)
    candidate.check(program)


@given(nested=nested_lists(SMALL_INTS, FALSY + TUPLES + OTHERS))
def test_input_is_not_modified(candidate, nested):
    """The input is not modified."""
    program = Program()
    # The answer is other tests' concern; a list met twice (shared) must stay as it was too.
    program.call("flatten", nested).leaves_args_unchanged()
    program.call("flatten", [nested, [1, nested]]).leaves_args_unchanged()
    candidate.check(program)


@given(shared=st.lists(st.sampled_from(SMALL_INTS), min_size=1, max_size=3),
       layout=st.lists(st.sampled_from(["item", "shared", "shared in a list"]), max_size=4))
def test_a_list_appearing_twice_is_flattened_each_time(candidate, shared, layout):
    """A list object that appears more than once in nested contributes its items every time."""
    parts = {"item": lambda: 9, "shared": lambda: shared, "shared in a list": lambda: [shared]}
    nested = [shared, [1, [shared]]] + [parts[kind]() for kind in layout]
    program = Program()
    expect_flattened(program, nested)
    candidate.check(program)


def test_handles_nesting_depth_of_100000(candidate):
    """Nesting depth of 100,000 works (no recursion stopped by the interpreter's limit)."""
    program = Program()
    program.fixture("nested_list", DEPTH, [1, 2], name="deep",
                    shows=f"deep = [[[...[1, 2]...]]]  # [1, 2] inside {DEPTH:,} lists")
    program.call("flatten", [0, Ref("deep"), 3]).expect([0, 1, 2, 3])
    candidate.check(program)
