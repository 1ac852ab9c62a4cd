"""Hidden tests for text-chunker: every sentence of the contract, against a model."""

from hypothesis import example, given, strategies as st

from grader.agent.agent import Ref
from grader.harness.program import Program, Raises, Satisfies, show

MARK = "<appended>"


def model_chunk(tokens, size, overlap):
    """The contract's definition, literally: tokens[s:s + size] for s = 0, step, 2*step, ...,
    up to and including the first chunk that reaches the end of tokens."""
    step = size - overlap
    chunks = []
    for start in range(0, len(tokens), step):
        chunks.append(tokens[start:start + size])
        if start + size >= len(tokens):
            break
    return chunks


def numbered(n):
    """n distinct tokens (distinct, so a window off by one position shows)."""
    return [f"t{i}" for i in range(n)]


sizes = st.integers(min_value=1, max_value=8)


@st.composite
def windows(draw):
    """(size, overlap): every overlap from 0 to size - 1, including both ends."""
    size = draw(sizes)
    overlap = draw(st.integers(min_value=0, max_value=size - 1))
    return size, overlap


@st.composite
def near_the_end(draw):
    """(n, size, overlap) with n = size + k * step + r: k full steps, then r from
    -(step - 1) to step, so the windows fit exactly (r = 0), leave a shorter
    last chunk (r > 0), or end just past the last full window (r < 0)."""
    size, overlap = draw(windows())
    step = size - overlap
    k = draw(st.integers(min_value=0, max_value=4))
    r = draw(st.integers(min_value=-(step - 1), max_value=step))
    return max(1, size + k * step + r), size, overlap


def expect_chunks(program, tokens, size, overlap):
    return program.call("chunk", tokens, size, overlap).expect(model_chunk(tokens, size, overlap))


@given(n=st.integers(min_value=0, max_value=30), window=windows())
@example(n=10, window=(4, 2))
@example(n=7, window=(3, 1))
@example(n=9, window=(5, 0))
def test_returns_the_windows_of_size_items_each_step_after_the_previous(candidate, n, window):
    """Splits tokens into consecutive windows of size items, each starting size - overlap items after the previous one: tokens[s:s + size] for s = 0, step, 2*step, ..."""
    size, overlap = window
    program = Program()
    expect_chunks(program, numbered(n), size, overlap)
    candidate.check(program)


@given(shape=near_the_end())
@example(shape=(10, 4, 2))    # the windows fit exactly: [6:10] is the last chunk, no [8:10] after it
@example(shape=(4, 4, 2))     # one window fits exactly
@example(shape=(6, 3, 0))
@example(shape=(11, 4, 2))    # [8:11] is the last chunk
@example(shape=(9, 4, 2))     # [6:9] reaches the end: no [8:9] after it
def test_ends_with_the_first_chunk_that_reaches_the_end(candidate, shape):
    """The chunks end with the first chunk that reaches the end of tokens: no chunk is empty and none lies wholly inside the one before it."""
    n, size, overlap = shape
    program = Program()
    expect_chunks(program, numbered(n), size, overlap)
    candidate.check(program)


@st.composite
def shorter_last_chunk(draw):
    """(n, size, overlap) whose last chunk is shorter than size: n = size + k * step + r
    with 0 < r < step (so step >= 2)."""
    size = draw(st.integers(min_value=2, max_value=8))
    overlap = draw(st.integers(min_value=0, max_value=size - 2))
    step = size - overlap
    k = draw(st.integers(min_value=0, max_value=4))
    r = draw(st.integers(min_value=1, max_value=step - 1))
    return size + k * step + r, size, overlap


@given(shape=shorter_last_chunk())
@example(shape=(11, 4, 2))
@example(shape=(7, 5, 0))
@example(shape=(8, 6, 4))
def test_the_last_chunk_may_be_shorter_than_size(candidate, shape):
    """The last chunk may be shorter than size: it is tokens[s:s + size] cut at the end of tokens."""
    n, size, overlap = shape
    program = Program()
    expect_chunks(program, numbered(n), size, overlap)
    candidate.check(program)


@given(window=windows())
@example(window=(4, 3))
@example(window=(8, 7))
def test_tokens_no_longer_than_size_give_one_chunk(candidate, window):
    """Tokens no longer than size give a single chunk holding all of them, also when there are no more tokens than overlap."""
    size, overlap = window
    program = Program()
    for n in range(1, size + 1):
        expect_chunks(program, numbered(n), size, overlap)
    candidate.check(program)


@given(window=windows())
def test_empty_tokens_give_an_empty_list(candidate, window):
    """[] gives []."""
    size, overlap = window
    program = Program()
    program.call("chunk", [], size, overlap).expect([])
    candidate.check(program)


@given(n=st.integers(min_value=0, max_value=20), window=windows())
def test_tokens_is_not_modified(candidate, n, window):
    """tokens is not modified."""
    size, overlap = window
    program = Program()
    # The answer is the other tests' concern; here only the argument.
    program.call("chunk", numbered(n), size, overlap).leaves_args_unchanged()
    program.call("chunk", numbered(n), size, overlap).leaves_args_unchanged()
    candidate.check(program)


def unchanged(tokens):
    def check(value):
        if value != tokens:
            return (f"appending to the chunks changed tokens: it is now {show(value)}; "
                    "a chunk is the token list itself, not a new list")
        return None
    return Satisfies(check, f"tokens still {show(tokens)}", show_value=False)


def one_mark_each(chunks):
    want = [piece + [MARK] for piece in chunks]

    def check(value):
        if value != want:
            return (f"after appending {MARK!r} once to each chunk the chunks are {show(value)}, "
                    f"expected {show(want)}: some chunks are one and the same list")
        return None
    return Satisfies(check, f"each chunk with one {MARK!r} appended", show_value=False)


@given(n=st.integers(min_value=1, max_value=20), window=windows())
@example(n=3, window=(4, 2))
@example(n=4, window=(4, 0))
@example(n=10, window=(4, 2))
def test_the_chunks_are_new_lists(candidate, n, window):
    """The chunks are new lists: changing one changes neither tokens nor any other chunk."""
    size, overlap = window
    tokens = numbered(n)
    program = Program()
    program.fixture("new_list", tokens, name="tokens", shows=f"tokens = {show(tokens)}")
    program.call("chunk", Ref("tokens"), size, overlap, name="chunks",
                 shows=f"chunks = chunk(tokens, {size}, {overlap})")
    program.fixture("append_to_each", Ref("chunks"), MARK, shows=f"for c in chunks: c.append({MARK!r})")
    program.fixture("value", Ref("tokens"), shows="tokens").expect(unchanged(tokens))
    program.fixture("value", Ref("chunks"), shows="chunks").expect(
        one_mark_each(model_chunk(tokens, size, overlap)))
    candidate.check(program)


small_tokens = st.integers(min_value=0, max_value=10).map(numbered)


@given(tokens=small_tokens, size=st.integers(min_value=-3, max_value=0))
def test_size_below_one_raises_value_error(candidate, tokens, size):
    """ValueError when size < 1 (checked before anything else, so also for [])."""
    program = Program()
    for overlap in (0, -1, 2):
        program.call("chunk", tokens, size, overlap).expect(Raises(ValueError))
    candidate.check(program)


@given(tokens=small_tokens, size=sizes, overlap=st.integers(min_value=-5, max_value=-1))
@example(tokens=numbered(5), size=2, overlap=-1)
@example(tokens=[], size=3, overlap=-1)
def test_negative_overlap_raises_value_error(candidate, tokens, size, overlap):
    """ValueError when overlap < 0 (checked before anything else, so also for [])."""
    program = Program()
    program.call("chunk", tokens, size, overlap).expect(Raises(ValueError))
    candidate.check(program)


@given(tokens=small_tokens, size=sizes)
@example(tokens=[], size=3)
def test_overlap_of_size_or_more_raises_value_error(candidate, tokens, size):
    """ValueError when overlap >= size (checked before anything else, so also for [])."""
    program = Program()
    for overlap in range(size, size + 4):
        program.call("chunk", tokens, size, overlap).expect(Raises(ValueError))
    candidate.check(program)
