"""Hidden tests for pair-sum: every sentence of the contract, against a model."""

from hypothesis import given, strategies as st

from grader.harness.program import Program, Satisfies, cited, show

values = st.integers(min_value=-12, max_value=12)
arrays = st.lists(values, max_size=20)


def model_pairs(arr, target):
    """The simplest correct answer: try every two positions, keep each pair once."""
    pairs = set()
    for i in range(len(arr)):
        for j in range(i + 1, len(arr)):
            if arr[i] + arr[j] == target:
                pairs.add((min(arr[i], arr[j]), max(arr[i], arr[j])))
    return pairs


# The contract's sentences, quoted by a wrong answer: every test compares the
# whole answer, so a test may fail on a sentence its own name does not say.
SIGNATURE = "def find_pairs(arr: list[int], target: int) -> list[tuple[int, int]]"
EVERY_PAIR = ("Returns every distinct pair of values (a, b) with a <= b and a + b == target, "
              "where a and b sit at two different positions of arr.")
TWICE = "(a, a) needs a to appear at least twice."
ONCE = "Each pair is listed once"
EMPTY = "Empty input gives []."


def wrong_pairs(arr, target, found, want):
    """Why the set of pairs ``found`` is not ``want``, with the sentence it breaks."""
    if not arr:
        return cited("arr is empty", EMPTY)
    extra = sorted(found - want)
    if extra:
        a, b = extra[0]
        if a == b and a + b == target and arr.count(a) == 1:
            return cited(f"{show((a, a))} is listed, but {a} appears only once in arr", TWICE)
        return cited(f"{show((a, b))} is not a pair of values of arr that sums to {target}", EVERY_PAIR)
    missing = sorted(want - found)
    more = f" and {len(missing) - 1} more" if len(missing) > 1 else ""
    return cited(f"{show(missing[0])}{more} is missing", EVERY_PAIR)


def same_pairs(arr, target):
    """An order-insensitive expectation: exactly the model's (a, b) tuples, each once, a <= b."""
    want = model_pairs(arr, target)
    shown = show(sorted(want))
    description = f"{shown} (in any order)" if want else shown

    def check(value):
        if type(value) is not list:
            return cited(f"find_pairs must return a list, not a {type(value).__name__}", SIGNATURE)
        seen = set()
        for pair in value:
            if type(pair) is not tuple:
                return cited(f"each pair must be a tuple (a, b), not a {type(pair).__name__} such as {show(pair)}",
                             SIGNATURE)
            if len(pair) != 2 or any(type(v) is not int for v in pair):
                return cited(f"{show(pair)} is not a tuple of two ints", SIGNATURE)
            a, b = pair
            if a > b:
                return cited(f"{show(pair)} is not ordered with a <= b", EVERY_PAIR)
            if pair in seen:
                return cited(f"{show(pair)} is listed more than once", ONCE)
            seen.add(pair)
        if seen != want:
            return wrong_pairs(arr, target, seen, want)
        return None

    return Satisfies(check, description)


def expect_pairs(program, arr, target):
    program.call("find_pairs", arr, target).expect(same_pairs(arr, target))


@st.composite
def arrays_and_targets(draw):
    """An array, and a target that is usually the sum of two of its values."""
    arr = draw(arrays)
    if len(arr) >= 2 and draw(st.booleans()):
        i, j = draw(st.lists(st.integers(0, len(arr) - 1), min_size=2, max_size=2, unique=True))
        target = arr[i] + arr[j]
    else:
        target = draw(st.integers(min_value=-25, max_value=25))
    return arr, target


@given(case=arrays_and_targets())
def test_finds_every_pair_that_sums_to_target(candidate, case):
    """Returns every distinct pair (a, b) with a <= b and a + b == target, from two different positions of arr."""
    arr, target = case
    program = Program()
    expect_pairs(program, arr, target)
    candidate.check(program)


@given(a=values, gap=st.integers(min_value=1, max_value=12), filler=st.lists(values, max_size=6),
       where=st.integers(min_value=0, max_value=6), larger_first=st.booleans())
def test_pairs_are_tuples_with_a_le_b(candidate, a, gap, filler, where, larger_first):
    """Each pair is a tuple (a, b) of ints with a <= b."""
    b = a + gap
    first, second = (b, a) if larger_first else (a, b)
    arr = [first] + filler[:where] + [second] + filler[where:]
    program = Program()
    expect_pairs(program, arr, a + b)
    candidate.check(program)


@given(arr=st.lists(values, max_size=8), a=values, where=st.integers(min_value=0, max_value=8),
       again=st.integers(min_value=0, max_value=9))
def test_a_pair_of_equal_values_needs_two_occurrences(candidate, arr, a, where, again):
    """(a, a) needs a to appear at least twice in arr."""
    others = [x for x in arr if x != a]
    once = others[:where] + [a] + others[where:]
    twice = once[:again] + [a] + once[again:]
    program = Program()
    expect_pairs(program, once, 2 * a)
    expect_pairs(program, twice, 2 * a)
    candidate.check(program)


@given(a=values, b=values, picks=st.lists(st.booleans(), min_size=1, max_size=12))
def test_each_pair_is_listed_once(candidate, a, b, picks):
    """Each pair is listed once, however often its values repeat in arr."""
    arr = [a if pick else b for pick in picks] + [b, a]
    program = Program()
    expect_pairs(program, arr, a + b)
    candidate.check(program)


@given(case=arrays_and_targets())
def test_arr_is_not_modified(candidate, case):
    """arr is not modified."""
    arr, target = case
    program = Program()
    program.call("find_pairs", arr, target).leaves_args_unchanged()  # the answer is other tests' concern
    candidate.check(program)


@given(target=st.integers(min_value=-50, max_value=50))
def test_empty_input_gives_empty_list(candidate, target):
    """Empty input gives []."""
    program = Program()
    program.call("find_pairs", [], target).expect([])
    candidate.check(program)


@given(arr=st.lists(st.integers(min_value=-12, max_value=3), min_size=2, max_size=12),
       i=st.integers(min_value=0, max_value=11), j=st.integers(min_value=0, max_value=11))
def test_negative_values_and_targets_work(candidate, arr, i, j):
    """Values and the target may be negative or zero."""
    i, j = i % len(arr), j % len(arr)
    if i == j:
        j = (i + 1) % len(arr)
    program = Program()
    expect_pairs(program, arr, arr[i] + arr[j])
    candidate.check(program)
