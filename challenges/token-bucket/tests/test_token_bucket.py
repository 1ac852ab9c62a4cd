"""Hidden tests for token-bucket: every sentence of the contract, against a model.

The bucket is given a fake clock built inside the sandbox (the challenge's
``fake_clock`` fixture); the tests set every reading it returns
(``set_clock``), so the host knows each one and its model, in exact rational
arithmetic over the very floats that were sent, decides every answer. The
bucket's own reads of the clock happen only inside the sandbox.

The contract checks only decisions where the available and the requested
tokens differ by more than 1e-6. A request that close to the level is a tie:
either answer is accepted, and the model follows the answer given (it takes
the tokens when the bucket said True), so the later expectations stay exact
whichever way the tie went.
"""

from fractions import Fraction

from hypothesis import example, given, strategies as st

from grader.agent.agent import Ref
from grader.harness.program import Expectation, Program, Raises, show

TIE = Fraction(1, 10**6)


class Model:
    """The token bucket in exact arithmetic: the level and when it was last brought up to date."""

    def __init__(self, rate, capacity, now):
        self.rate = Fraction(rate)
        self.capacity = Fraction(capacity)
        self.level = Fraction(capacity)
        self.updated = Fraction(now)

    def available(self, now):
        """Bring the level up to the reading ``now`` and return it."""
        self.level = min(self.capacity, self.level + (Fraction(now) - self.updated) * self.rate)
        self.updated = Fraction(now)
        return self.level


def _number(value: Fraction) -> str:
    text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


class Decides(Expectation):
    """allow(tokens) at reading ``now``: the model decides when it is evaluated,
    in program order, so a tie (within 1e-6) accepts either answer and the
    model goes on from the answer given."""

    def __init__(self, model, tokens, now, sentence):
        self.model = model
        self.tokens = tokens
        self.now = now
        self.sentence = sentence
        self.decision = None

    def problem(self, outcome):
        available = self.model.available(self.now)
        tie = abs(available - self.tokens) <= TIE
        self.decision = None if tie else self.tokens <= available
        why = (f"{_number(available)} tokens available at clock() = {self.now!r}, "
               f"{self.tokens} requested (contract: '{self.sentence}')")
        if outcome.raised is not None:
            return f"raised {outcome.raised}, expected {self.expected()}; {why}"
        if outcome.unreadable is not None:
            return f"returned a value that {outcome.unreadable}, expected {self.expected()}"
        value = outcome.value
        if type(value) is not bool:
            return f"returned {show(value)}, expected {self.expected()} (a bool); {why}"
        if not tie and value is not self.decision:
            return f"returned {value}, expected {self.decision}: {why}"
        if value:
            self.model.level -= self.tokens
        return None

    def expected(self):
        return "True or False (a tie)" if self.decision is None else str(self.decision)


GENERAL = ("allow(tokens) takes tokens tokens and returns True when at least that many are available "
           "at the current clock() reading; otherwise it takes none and returns False")


def bucket_program(rate, capacity, start, ops, sentence=GENERAL):
    """``bucket = TokenBucket(rate, capacity, clock=clock)`` on a fake clock
    reading ``start``, then ``ops``: ("wait", seconds) moves the clock on,
    ("allow", tokens) asks the bucket, judged by the model."""
    program = Program()
    program.fixture("fake_clock", start, name="clock", shows=f"clock = FakeClock({start!r})")
    bucket = program.new("TokenBucket", rate, capacity, clock=Ref("clock"), name="bucket")
    model = Model(rate, capacity, start)
    now = start
    for op in ops:
        if op[0] == "wait":
            if op[1]:
                now = now + op[1]
                program.fixture("set_clock", Ref("clock"), now, shows=f"clock.set({now!r})")
        else:
            program.method(bucket, "allow", op[1]).expect(Decides(model, op[1], now, sentence))
    return program


def wait(seconds):
    return ("wait", seconds)


def allow(tokens):
    return ("allow", tokens)


rates = st.one_of(st.sampled_from([0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 10.0, 0.1, 7.5, 100.0]),
                  st.floats(min_value=0.05, max_value=50.0).map(lambda x: round(x, 3)))
capacities = st.one_of(st.integers(min_value=1, max_value=8), st.sampled_from([10, 25, 100]))
# Clock readings: 0, small, and a machine that has been up for days (floats stay exact to ~1e-10 there).
starts = st.sampled_from([0.0, 1.0, 12.5, 1000.0, 86_400.25, 1_000_000.0])
# Waits in seconds, and waits worth a number of tokens at the bucket's rate (fractions on purpose).
seconds = st.sampled_from([0.0, 0.001, 0.1, 0.25, 0.5, 0.9, 1.0, 1.1, 2.5, 60.0, 3600.0])
token_worths = st.sampled_from([0.25, 0.5, 0.75, 1.0, 1.5, 2.25, 3.0, 10.0])


@st.composite
def scenarios(draw):
    rate, capacity, start = draw(rates), draw(capacities), draw(starts)
    ops = []
    for _ in range(draw(st.integers(min_value=1, max_value=30))):
        kind = draw(st.sampled_from(["seconds", "tokens", "allow", "allow", "allow"]))
        if kind == "seconds":
            ops.append(wait(draw(seconds)))
        elif kind == "tokens":
            ops.append(wait(draw(token_worths) / rate))
        else:
            ops.append(allow(draw(st.one_of(st.integers(min_value=1, max_value=3),
                                            st.integers(min_value=1, max_value=capacity + 2)))))
    return rate, capacity, start, ops


# The classic mistakes, tried under every seed: refilling only on whole seconds, holding more
# than capacity after a long wait, taking tokens on a refusal, never reading the clock after
# __init__ (or reading time.monotonic), capping only the total since the start.
CLASSIC = [
    (4.0, 5, 0.0, [allow(4), wait(0.5), allow(2), allow(2), wait(0.3), allow(1), allow(1)]),
    (1.0, 3, 1000.0, [wait(100.0), allow(2), wait(0.5), allow(2), allow(1)]),
    (2.0, 5, 12.5, [allow(4), wait(0.25), allow(3), allow(1), allow(1)]),
    (0.5, 4, 86_400.25, [allow(3), wait(3600.0), allow(3), allow(2)]),
    (1.0, 2, 0.0, [wait(10.0), allow(1), wait(0.5), allow(1), allow(1)]),
    (3.0, 6, 1.0, [allow(5), wait(0.5), allow(2), allow(1), wait(1.0 / 6), allow(1), allow(1)]),
]


@example(scenario=CLASSIC[0])
@example(scenario=CLASSIC[1])
@example(scenario=CLASSIC[2])
@example(scenario=CLASSIC[3])
@example(scenario=CLASSIC[4])
@example(scenario=CLASSIC[5])
@given(scenario=scenarios())
def test_behaves_like_a_token_bucket(candidate, scenario):
    """Any mix of clock readings and allow calls behaves like a reference token bucket."""
    candidate.check(bucket_program(*scenario))


@example(rate=1.0, capacity=2, start=0.0)
@example(rate=4.0, capacity=5, start=1000.0)
@given(rate=rates, capacity=st.integers(min_value=2, max_value=12), start=starts)
def test_starts_full(candidate, rate, capacity, start):
    """The bucket starts full with capacity tokens."""
    # capacity - 1 at once, then half a token's worth of time: 1.5 tokens, so 1 more and no more.
    sentence = "The bucket starts full with capacity tokens"
    ops = [allow(capacity - 1), wait(0.5 / rate), allow(1), allow(1)]
    candidate.check(bucket_program(rate, capacity, start, ops, sentence))


@st.composite
def fractional_refills(draw):
    """A drained bucket, then less than a second's worth of refill that is not a whole number of tokens."""
    rate = draw(st.sampled_from([2.0, 3.0, 4.0, 6.0, 8.0, 10.0, 2.5]))
    capacity = draw(st.integers(min_value=4, max_value=10))
    start = draw(starts)
    worth = draw(st.sampled_from([0.5, 1.25, 1.5, 2.5, 1.75]))
    level = 1 + worth
    granted = int(level)
    ops = [allow(capacity - 1), wait(worth / rate), allow(granted), allow(1)]
    if draw(st.booleans()):      # and again, in two steps that add up
        ops += [wait(0.5 / rate), wait(0.5 / rate), allow(1), allow(1)]
    return rate, capacity, start, ops


@example(scenario=(4.0, 5, 0.0, [allow(4), wait(0.625), allow(3), allow(1)]))
@example(scenario=(2.0, 4, 12.5, [allow(3), wait(0.25), wait(0.25), allow(1), allow(1)]))
@given(scenario=fractional_refills())
def test_refills_continuously(candidate, scenario):
    """It gains rate tokens per second of clock() time, continuously: fractions of a second and of a token count."""
    sentence = "It gains rate tokens per second of clock() time, continuously"
    candidate.check(bucket_program(*scenario, sentence=sentence))


@example(rate=1.0, capacity=2, start=0.0, idle=10.0)
@given(rate=rates, capacity=st.integers(min_value=2, max_value=12), start=starts,
       idle=st.sampled_from([2.0, 10.0, 1000.0]))
def test_never_holds_more_than_capacity(candidate, rate, capacity, start, idle):
    """It never holds more than capacity tokens, however long the clock runs."""
    sentence = "It gains rate tokens per second of clock() time, continuously, never holding more than capacity"
    # After a long idle time the bucket is full (capacity, not more): capacity - 1, then half a
    # token's worth of time leaves 1.5, so 2 is refused.
    ops = [allow(1), wait(idle * capacity / rate), allow(capacity - 1), wait(0.5 / rate), allow(2), allow(1)]
    candidate.check(bucket_program(rate, capacity, start, ops, sentence))


@st.composite
def grants(draw):
    """Requests that fit, at one reading, then one token more than is left."""
    capacity = draw(st.integers(min_value=2, max_value=12))
    requests, left = [], capacity
    while left > 1 and draw(st.integers(min_value=0, max_value=3)):
        amount = draw(st.integers(min_value=1, max_value=left - 1))
        requests.append(amount)
        left -= amount
    if not requests:
        requests, left = [capacity - 1], 1
    return capacity, requests, left


@example(case=(5, [2, 2], 1), rate=1.0, start=0.0)
@example(case=(6, [3], 3), rate=2.0, start=12.5)
@given(case=grants(), rate=rates, start=starts)
def test_allow_takes_the_tokens_it_grants(candidate, case, rate, start):
    """allow(tokens) takes tokens tokens and returns True when at least that many are available at the current clock() reading."""
    capacity, requests, left = case
    sentence = "allow(tokens) takes tokens tokens and returns True when at least that many are available"
    ops = [allow(amount) for amount in requests] + [allow(left + 1), wait(0.5 / rate), allow(left), allow(1)]
    candidate.check(bucket_program(rate, capacity, start, ops, sentence))


refusals = st.integers(min_value=3, max_value=12).flatmap(
    lambda capacity: st.tuples(st.just(capacity), st.integers(min_value=2, max_value=capacity)))


@example(case=(5, 3), rate=2.0, start=0.0)
@example(case=(3, 2), rate=1.0, start=1000.0)
@given(case=refusals, rate=rates, start=starts)
def test_a_refused_request_takes_none(candidate, case, rate, start):
    """When fewer tokens are available than requested, allow takes none and returns False."""
    capacity, refused = case
    sentence = "otherwise it takes none and returns False"
    # 1.5 tokens left: a refused request, then one that fits what the refusal left.
    ops = [allow(capacity - 1), wait(0.5 / rate), allow(refused), allow(refused), allow(1), allow(1)]
    candidate.check(bucket_program(rate, capacity, start, ops, sentence))


@example(rate=0.5, capacity=4, start=86_400.25, later=3600.0)
@given(rate=rates, capacity=st.integers(min_value=3, max_value=12), start=starts,
       later=st.sampled_from([3600.0, 86_400.0, 10_000_000.0]))
def test_reads_the_clock_it_is_given_at_each_allow(candidate, rate, capacity, start, later):
    """The bucket reads the clock it was given (the grader's, not time.monotonic) at each allow, not only in __init__."""
    sentence = "clock is a callable ... the grader passes its own. The bucket reads the clock only inside __init__ and allow"
    ops = [allow(capacity - 1), wait(later), allow(capacity - 1), allow(1)]
    candidate.check(bucket_program(rate, capacity, start, ops, sentence))


@example(rate=1.0, capacity=3, start=0.0, extra=1)
@given(rate=rates, capacity=capacities, start=starts, extra=st.sampled_from([1, 2, 10, 1000]))
def test_more_tokens_than_capacity_are_refused(candidate, rate, capacity, start, extra):
    """allow(tokens) with tokens > capacity returns False."""
    sentence = "allow(tokens) with tokens > capacity returns False"
    ops = [wait(1000.0 / rate), allow(capacity + extra), allow(capacity + extra)]
    if capacity > 1:   # it took none: capacity - 1 still fits
        ops.append(allow(capacity - 1))
    candidate.check(bucket_program(rate, capacity, start, ops, sentence))


bad_arguments = st.one_of(
    st.tuples(st.sampled_from([0, 0.0, -0.5, -1.0, -100]), capacities),
    st.tuples(rates, st.sampled_from([0, -1, -5])),
)


@example(arguments=(0, 5))
@example(arguments=(2.0, 0))
@given(arguments=bad_arguments)
def test_bad_rate_or_capacity_raises_value_error(candidate, arguments):
    """TokenBucket(rate, capacity, clock) raises ValueError when rate <= 0 or capacity < 1."""
    rate, capacity = arguments
    program = Program()
    program.fixture("fake_clock", 0.0, name="clock", shows="clock = FakeClock(0.0)")
    program.new("TokenBucket", rate, capacity, clock=Ref("clock"), name="bucket").expect(Raises(ValueError))
    candidate.check(program)


@example(tokens=0, capacity=5)
@given(tokens=st.sampled_from([0, -1, -3]), capacity=capacities)
def test_fewer_than_one_token_raises_value_error(candidate, tokens, capacity):
    """allow(tokens) raises ValueError when tokens < 1."""
    program = Program()
    program.fixture("fake_clock", 0.0, name="clock", shows="clock = FakeClock(0.0)")
    bucket = program.new("TokenBucket", 1.0, capacity, clock=Ref("clock"), name="bucket")
    program.method(bucket, "allow", tokens).expect(Raises(ValueError))
    candidate.check(program)
