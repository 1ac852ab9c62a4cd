"""Hidden tests for quicksort: every sentence of the contract, against a model.

The list to sort is built in the sandbox and kept there (a fixture), the
candidate's quicksort is called on it, and the list is read back: only that
shows whether it was sorted in place. The host's model (Python's sorted)
decides every expectation.
"""

from hypothesis import example, given, strategies as st

from grader.agent.agent import Ref
from grader.harness.program import Program, Satisfies, cited, show

IN_PLACE = "Sorts arr in place into ascending order and returns None."
DEEP = 2_500           # 2.5 times Python's default recursion limit (1,000 frames)
LARGE = 100_000


def shaped(shape, n):
    """The same values as the sandbox's shaped_list fixture (sandbox_fixtures.py)."""
    if shape == "sorted":
        return list(range(n))
    if shape == "reverse-sorted":
        return list(range(n, 0, -1))
    if shape == "all-equal":
        return [7] * n
    if shape == "two values":
        return [i % 2 for i in range(n)]
    if shape == "scrambled":
        return [(i * 7_919) % 100_003 for i in range(n)]
    raise ValueError(shape)


PART = 25_000          # items read back at a time (one value crosses with at most 100,000)


def ascending(values, sentence=IN_PLACE, start=None, stop=None, want=None):
    """arr read back after the call must be the model's sorted(values);
    with ``start``/``stop``, that part of it (arr[start:stop]). ``want``:
    sorted(values) when the caller has it already (a long list read back
    in parts is sorted once, not once a part)."""
    want = sorted(values) if want is None else want
    if start is not None:
        return _part(want[start:stop], start, sentence)
    small = len(want) <= 30

    def check(value):
        now = f"arr is now {show(value)}, expected {show(want)}: " if small else ""
        if type(value) is not list:
            return cited(f"arr is now a {type(value).__name__}", sentence)
        if len(value) != len(want):
            items = "item" if len(value) == 1 else "items"
            return cited(f"{now}it holds {len(value):,} {items} instead of {len(want):,}", sentence)
        if value == want:
            return None
        if value == values:
            return cited(f"{now}arr is as it was: quicksort must sort the caller's list itself (in place), "
                         "not a copy of it", sentence)
        if sorted(value) == want:
            index = next(i for i in range(len(value) - 1) if value[i] > value[i + 1])
            return cited(f"{now}arr[{index}] = {show(value[index])} > arr[{index + 1}] = "
                         f"{show(value[index + 1])}", sentence)
        index = next(i for i in range(len(want)) if value[i] != want[i])
        return cited(f"{now}it does not hold the same items any more (arr[{index}] is {show(value[index])}, "
                     f"sorted it would be {show(want[index])})", sentence)

    shown = show(want) if small else f"sorted ({len(want):,} items)"
    return Satisfies(check, f"arr to be {shown}", show_value=False)


def _part(want, start, sentence):
    def check(value):
        if type(value) is not list or len(value) != len(want):
            return cited(f"arr[{start:,}:{start + len(want):,}] holds {show(value)[:200]}", sentence)
        if value == want:           # the same test as the loop below, in C: the common case
            return None
        for offset, (got, expected) in enumerate(zip(value, want)):
            if got != expected:
                return cited(f"arr[{start + offset:,}] is {show(got)}, sorted it would be {show(expected)}",
                             sentence)
        return None

    return Satisfies(check, f"arr[{start:,}:{start + len(want):,}] sorted", show_value=False)


def sort_in_sandbox(program, values=None, *, shape=None, n=None, returns=None):
    """arr = [...]; quicksort(arr); arr -> sorted. ``returns`` is what the call must return."""
    if shape is None:
        program.fixture("new_list", values, name="arr", shows=f"arr = {show(values)}")
    else:
        values = shaped(shape, n)
        program.fixture("shaped_list", shape, n, name="arr", shows=f"arr = <{n:,} items, {shape}>")
    call = program.call("quicksort", Ref("arr"), shows="quicksort(arr)")
    if returns is not None:
        call.expect(returns)
    if len(values) <= PART:
        program.fixture("value", Ref("arr"), shows="arr").expect(ascending(values))
        return call
    want = sorted(values)
    for start in range(0, len(values), PART):
        stop = start + PART
        program.fixture("items", Ref("arr"), start, stop, shows=f"arr[{start:,}:{stop:,}]").expect(
            ascending(values, start=start, stop=stop, want=want))
    return call


small_ints = st.integers(min_value=-50, max_value=50)
lists = st.lists(small_ints, max_size=40)


@st.composite
def few_distinct(draw):
    """Long runs of a few values: the shapes where equal keys matter."""
    pool = draw(st.lists(st.integers(min_value=-5, max_value=5), min_size=1, max_size=3, unique=True))
    return draw(st.lists(st.sampled_from(pool), min_size=2, max_size=40))


@given(values=lists)
@example(values=[3, 1, 2])
@example(values=[5, 4, 3, 2, 1])
@example(values=[2, 1])
def test_sorts_arr_in_place_into_ascending_order(candidate, values):
    """Sorts arr in place into ascending order: the caller's list is the one that ends up sorted."""
    program = Program()
    sort_in_sandbox(program, values)
    candidate.check(program)


@given(values=lists)
@example(values=[3, 1, 2])
def test_returns_none(candidate, values):
    """quicksort(arr) returns None (the list itself is sorted)."""
    program = Program()
    program.fixture("new_list", values, name="arr", shows=f"arr = {show(values)}")
    program.call("quicksort", Ref("arr"), shows="quicksort(arr)").expect(None)
    candidate.check(program)


huge = st.integers(min_value=-10 ** 30, max_value=10 ** 30)


@given(values=st.lists(st.one_of(small_ints, huge), min_size=1, max_size=30), runs=few_distinct())
@example(values=[10 ** 30, -10 ** 30, 0, 10 ** 30, -1], runs=[1, 1, 0, 1, 0, 0])
@example(values=[2, 2, 1, 1, 2, 1], runs=[4, 4, 4, 4])
def test_any_ints_duplicates_allowed(candidate, values, runs):
    """Any ints, duplicates allowed: negative and huge values, and runs of equal values, come out sorted with every copy kept."""
    program = Program()
    sort_in_sandbox(program, values + values[::2])
    candidate.check(program)
    program = Program()
    sort_in_sandbox(program, runs)
    candidate.check(program)


def test_empty_and_one_element_lists_are_fine(candidate):
    """[] and one-element lists are fine: they stay as they are."""
    for values in ([], [0], [-3], [10 ** 30]):
        program = Program()
        sort_in_sandbox(program, values)
        candidate.check(program)


def test_must_not_overflow_the_recursion_limit(candidate):
    """Must not overflow the recursion limit on any input of up to 100,000 items (recurse into the smaller part, or loop)."""
    # Sorted, reverse-sorted, all-equal and two-valued inputs of 2,500 items take a first/last
    # pivot or a two-way partition one level deeper per item, past Python's limit of 1,000
    # frames, while a loop that is merely quadratic on them still sorts them in well under a
    # second; a scrambled input of 100,000 items is the contract's largest.
    for shape, n in (("sorted", DEEP), ("reverse-sorted", DEEP), ("all-equal", DEEP), ("two values", DEEP),
                     ("scrambled", LARGE)):
        program = Program()
        sort_in_sandbox(program, shape=shape, n=n)
        candidate.check(program)
