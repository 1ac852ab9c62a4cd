"""Hidden tests for sliding-window: every sentence of the contract, against brute force."""

from hypothesis import given, strategies as st

from grader.harness.program import Program, Raises

values = st.integers(min_value=-100, max_value=100)
arrays = st.lists(values, min_size=1, max_size=30)


def brute_force(arr, k):
    """The sum of every window of k elements, the largest of them."""
    return max(sum(arr[i:i + k]) for i in range(len(arr) - k + 1))


def call(program, arr, k):
    """max_sum_k_consecutive(arr, k)."""
    return program.call("max_sum_k_consecutive", arr, k)


@given(arr=arrays)
def test_returns_the_largest_sum_of_k_consecutive_elements(candidate, arr):
    """Returns the largest sum of k consecutive elements of arr, for every k from 1 to len(arr)."""
    program = Program()
    for k in range(1, len(arr) + 1):
        call(program, arr, k).expect(brute_force(arr, k))
    candidate.check(program)


@given(arr=st.lists(st.integers(min_value=-100, max_value=-1), min_size=1, max_size=30))
def test_values_may_be_negative(candidate, arr):
    """Values may be negative: with every value negative the answer is negative too."""
    program = Program()
    for k in range(1, len(arr) + 1):
        call(program, arr, k).expect(brute_force(arr, k))
    candidate.check(program)


@given(arr=arrays)
def test_k_equal_to_len_gives_the_sum_of_the_whole_list(candidate, arr):
    """k == len(arr) is valid and gives the sum of the whole list."""
    program = Program()
    call(program, arr, len(arr)).expect(sum(arr))
    candidate.check(program)


@given(arr=st.lists(values, max_size=30), k=st.integers(min_value=-5, max_value=0))
def test_k_below_one_raises_value_error(candidate, arr, k):
    """Raises ValueError when k < 1."""
    program = Program()
    call(program, arr, k).expect(Raises(ValueError))
    candidate.check(program)


@given(arr=st.lists(values, max_size=30), extra=st.integers(min_value=1, max_value=5))
def test_k_above_len_raises_value_error(candidate, arr, extra):
    """Raises ValueError when k > len(arr), so an empty arr always raises."""
    program = Program()
    call(program, arr, len(arr) + extra).expect(Raises(ValueError))
    candidate.check(program)


@given(arr=arrays)
def test_arr_is_not_modified(candidate, arr):
    """arr is not modified."""
    program = Program()
    for k in range(1, len(arr) + 1):
        call(program, arr, k).leaves_args_unchanged()
    candidate.check(program)
