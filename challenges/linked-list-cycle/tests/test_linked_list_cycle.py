"""Hidden tests for linked-list-cycle: every sentence of the contract.

Lists are built inside the sandbox by the ``linked_list`` fixture, from the
grader's own node class (``val`` and ``next`` only, ``__slots__``). Values are
drawn from a small range so they repeat: only a node's identity tells which
node ``cycle_start`` returned, which ``node_position`` reports as an index.
"""

from hypothesis import given, strategies as st

from grader.agent.agent import Ref
from grader.harness.program import Program, Satisfies

values = st.integers(min_value=-3, max_value=3)

# Quoted when a list is found modified, also by tests named after an answer.
NOT_MODIFIED = "The list is not modified (every next and val is as before when the call returns)."


@st.composite
def lists(draw, min_size=0, max_size=30):
    """(values, cycle_at): cycle_at is None or the index the tail links back to."""
    vals = draw(st.lists(values, min_size=min_size, max_size=max_size))
    if not vals:
        return vals, None
    return vals, draw(st.none() | st.integers(min_value=0, max_value=len(vals) - 1))


def build(program, vals, cycle_at, name="head"):
    """``name = build_list(vals, tail_links_to=cycle_at)`` inside the sandbox."""
    shows = f"{name} = build_list({vals!r})" if cycle_at is None else \
        f"{name} = build_list({vals!r}, tail_links_to={cycle_at})"
    program.fixture("linked_list", vals, cycle_at, name=name, shows=shows)
    return Ref(name)


def shape_of(vals, cycle_at):
    """[val, index of next or None] per node, as the list was built."""
    shape = [[v, i + 1] for i, v in enumerate(vals)]
    if shape:
        shape[-1][1] = cycle_at
    return shape


def unchanged(expected):
    """A Satisfies check: the list's shape is still ``expected``."""
    def where(link):
        if link is None:
            return "None"
        if link == "foreign":
            return "a node that is not in the list"
        return f"the node at position {link}"

    def check(shape):
        if not isinstance(shape, list) or len(shape) != len(expected):
            return "the list could not be read back"
        for index, (now, before) in enumerate(zip(shape, expected)):
            if now[0] != before[0] or type(now[0]) is not type(before[0]):
                return f"node {index}'s val is now {now[0]!r}, it was {before[0]!r}"
            if now[1] != before[1]:
                return f"node {index}'s next is now {where(now[1])}, it was {where(before[1])}"
        return None
    return Satisfies(check, "the list exactly as it was built", show_value=False)


def is_position(expected):
    """A Satisfies check on ``node_position(head, answer)``."""
    def check(position):
        if position == expected and type(position) is type(expected):
            return None
        if position is None:
            return "cycle_start returned None, but the list has a cycle"
        if isinstance(position, str):
            return f"cycle_start returned something that is {position}"
        if expected is None:
            return f"cycle_start returned the node at position {position}, but the list has no cycle"
        return (f"cycle_start returned the node at position {position}, "
                f"but the tail links back to the node at position {expected}")
    description = "None (there is no cycle)" if expected is None else str(expected)
    return Satisfies(check, description, show_value=False)


def expect_unchanged(program, head, shape):
    """shape(head) is still ``shape``."""
    program.fixture("linked_list_shape", head, shows=f"shape({head.name})").expect(unchanged(shape)).cites(
        NOT_MODIFIED)


def check_answers(program, head, shape, answer="answer"):
    """has_cycle(head), the position of cycle_start(head), and the list unchanged after each."""
    cycle_at = shape[-1][1] if shape else None
    program.call("has_cycle", head).expect(cycle_at is not None)
    expect_unchanged(program, head, shape)
    program.call("cycle_start", head, name=answer)
    program.fixture("node_position", head, Ref(answer),
                    shows=f"position of {answer} in {head.name}").expect(is_position(cycle_at))
    expect_unchanged(program, head, shape)


@given(case=lists())
def test_has_cycle_tells_whether_the_list_has_a_cycle(candidate, case):
    """has_cycle tells whether following next from head ever revisits a node."""
    vals, cycle_at = case
    program = Program()
    head = build(program, vals, cycle_at)
    program.call("has_cycle", head).expect(cycle_at is not None)
    candidate.check(program)


@given(case=lists())
def test_cycle_start_returns_the_node_the_tail_links_back_to(candidate, case):
    """cycle_start returns the first node of the cycle (the node the tail links back to), or None when there is no cycle."""
    vals, cycle_at = case
    program = Program()
    head = build(program, vals, cycle_at)
    program.call("cycle_start", head, name="answer")
    program.fixture("node_position", head, Ref("answer"),
                    shows="position of answer in head").expect(is_position(cycle_at))
    candidate.check(program)


@given(case=lists())
def test_the_list_is_not_modified(candidate, case):
    """The list is not modified: every next and val is as before when the call returns."""
    vals, cycle_at = case
    expected = shape_of(vals, cycle_at)
    program = Program()
    head = build(program, vals, cycle_at)
    program.call("has_cycle", head)
    expect_unchanged(program, head, expected)
    program.call("cycle_start", head, name="answer")
    expect_unchanged(program, head, expected)
    candidate.check(program)


@given(val=values)
def test_empty_list_and_single_node(candidate, val):
    """An empty list and a single node have no cycle; a single node linking to itself is a cycle that starts at it."""
    program = Program()
    check_answers(program, build(program, [], None, name="empty"), shape_of([], None), answer="answer0")
    check_answers(program, build(program, [val], None, name="single"), shape_of([val], None), answer="answer1")
    check_answers(program, build(program, [val], 0, name="loop"), shape_of([val], 0), answer="answer2")
    candidate.check(program)


@given(vals=st.lists(values, min_size=1, max_size=30))
def test_tail_linking_to_itself_is_a_cycle_of_length_one(candidate, vals):
    """A tail that links to itself makes a cycle of length one that starts at the tail."""
    program = Program()
    check_answers(program, build(program, vals, len(vals) - 1), shape_of(vals, len(vals) - 1))
    candidate.check(program)


@given(vals=st.lists(values, min_size=1, max_size=30))
def test_tail_linking_to_the_head_is_a_cycle_starting_at_the_head(candidate, vals):
    """A tail that links back to the head makes a cycle through every node that starts at the head."""
    program = Program()
    check_answers(program, build(program, vals, 0), shape_of(vals, 0))
    candidate.check(program)
