"""Hidden tests for circuit-breaker: every sentence of the contract, against a model.

The breaker gets a fake clock built inside the sandbox (the challenge's
``fake_clock`` fixture) and calls services built there too (``service``:
one that returns its arguments, one that raises ``ServiceError``, either of
them taking time, i.e. moving the clock on while it runs). The host sets
every reading, so its model knows each one and decides every answer; the
breaker's reads of the clock happen only inside the sandbox. Readings,
timeouts and call times are multiples of 1/8 s, exact in floating point,
so ``clock() - opened_at < recovery_timeout`` means the same in any form.

``test_behaves_like_a_circuit_breaker`` draws any sequence of steps (calls,
failures in a row, clock readings, state reads) and runs it as one program
(and in the model): one sandbox round trip per example, judged step by step
against the model.
The other tests each build the shape of one sentence on purpose, with the
classic mistakes as ``@example``s.
"""

from fractions import Fraction

from hypothesis import example, given, strategies as st

from grader.agent.agent import Ref
from grader.harness.program import Expectation, Program, Raises, Returns, Satisfies, show

EIGHTH = 0.125


class Model:
    """The circuit breaker: a failure count, and the reading it opened at."""

    def __init__(self, threshold, timeout, now):
        self.threshold = threshold
        self.timeout = Fraction(timeout)
        self.now = Fraction(now)
        self.failures = 0
        self.opened_at = None
        self.calls = 0

    def state(self):
        if self.opened_at is None:
            return "closed"
        return "open" if self.now - self.opened_at < self.timeout else "half-open"

    def describe(self):
        """Why the breaker is in its state, for a failure message."""
        state = self.state()
        if state == "closed":
            return (f"the breaker is closed with {self.failures} failure(s) counted, "
                    f"failure_threshold = {self.threshold}")
        opened = f"it opened at clock() = {_number(self.opened_at)}"
        return (f"the breaker is {state}: {opened}, recovery_timeout = {_number(self.timeout)}, "
                f"clock() = {_number(self.now)}")

    def call(self, fails, takes):
        """What call(service) does: "rejected", "ok" or the failure's message."""
        state = self.state()
        if state == "open":
            return "rejected"
        self.calls += 1
        self.now += Fraction(takes)
        if fails:
            self.failures += 1
            if state == "half-open" or self.failures >= self.threshold:
                self.opened_at = self.now
                self.failures = 0
            return f"call #{self.calls} failed"
        self.failures = 0
        self.opened_at = None
        return "ok"


def _number(value) -> str:
    return repr(float(value))


def _open_error_in(raised) -> bool:
    return any(name.rpartition(".")[2] == "CircuitOpenError" and not name.startswith("grader_fixtures.")
               for name in raised.mro)


class RaisesCircuitOpen(Expectation):
    """Raises the solution's CircuitOpenError (or a subclass), having called nothing."""

    def __init__(self, why):
        self.why = why

    def problem(self, outcome):
        if outcome.raised is None:
            return f"{outcome.describe()}, expected CircuitOpenError to be raised ({self.why})"
        if not _open_error_in(outcome.raised):
            return f"raised {outcome.raised}, expected CircuitOpenError to be raised ({self.why})"
        return None

    def expected(self):
        return "CircuitOpenError to be raised"


class RaisesServiceError(Expectation):
    """Re-raises the service's own exception: ServiceError with its message."""

    def __init__(self, message, why):
        self.message = message
        self.why = why

    def problem(self, outcome):
        expected = f"the service's ServiceError({self.message!r}) to be re-raised ({self.why})"
        if outcome.raised is None:
            return f"{outcome.describe()}, expected {expected}"
        if "grader_fixtures.ServiceError" not in outcome.raised.mro or outcome.raised.message != self.message:
            return f"raised {outcome.raised}, expected {expected}"
        return None

    def expected(self):
        return f"ServiceError({self.message!r}) to be raised"


class ReturnsWhy(Returns):
    """Returns this value; a miss also says what state the breaker is in."""

    def __init__(self, value, why):
        super().__init__(value)
        self.why = why

    def problem(self, outcome):
        problem = super().problem(outcome)
        return None if problem is None else f"{problem} ({self.why})"


class BreakerProgram:
    """One program: ``breaker = CircuitBreaker(threshold, timeout, clock=clock)``
    on a fake clock reading ``start``, and the model beside it. With
    ``default_clock`` the breaker is made without ``clock`` (the services
    still count their calls on the fake one, and take no time)."""

    def __init__(self, threshold, timeout, start, default_clock=False):
        self.program = Program()
        self.model = Model(threshold, timeout, start)
        self.program.fixture("fake_clock", start, name="clock", shows=f"clock = FakeClock({start!r})")
        clock = {} if default_clock else {"clock": Ref("clock")}
        self.breaker = self.program.new("CircuitBreaker", threshold, timeout, **clock, name="breaker")
        self.services = {}

    def service(self, fails, takes):
        key = (fails, takes)
        if key not in self.services:
            name = ("slow_" if takes else "") + ("failing" if fails else "working") + (
                f"_{len(self.services)}" if takes else "")
            takes_text = f", takes={takes!r}" if takes else ""
            self.program.fixture("service", Ref("clock"), fails, takes, name=name,
                                 shows=f"{name} = Service(fails={fails}{takes_text})")
            self.services[key] = name
        return self.services[key]

    def call(self, fails, takes=0.0, args=(), kwargs=None):
        """``breaker.call(service, *args, **kwargs)``, judged by the model."""
        kwargs = dict(kwargs or {})
        name = self.service(fails, takes)
        why = self.model.describe()
        outcome = self.model.call(fails, takes)
        step = self.program.method(self.breaker, "call", Ref(name), *args, **kwargs)
        if outcome == "rejected":
            step.expect(RaisesCircuitOpen(why))
        elif outcome == "ok":
            step.expect(ReturnsWhy([list(args), kwargs], why))
        else:
            step.expect(RaisesServiceError(outcome, why))
        return outcome

    def wait(self, seconds):
        if seconds:
            self.model.now += Fraction(seconds)
            reading = float(self.model.now)
            self.program.fixture("set_clock", Ref("clock"), reading, shows=f"clock.set({reading!r})")

    def failures_in_a_row(self, extra, gap):
        """threshold + extra failing calls (at least one), ``gap`` seconds apart."""
        for index in range(max(1, self.model.threshold + extra)):
            if index:
                self.wait(gap)
            self.call(True)

    def wait_for_the_timeout(self, offset=0.0):
        """Set the clock to opened_at + recovery_timeout + offset, when that is not in the past."""
        if self.model.opened_at is not None:
            target = self.model.opened_at + self.model.timeout + Fraction(offset)
            if target > self.model.now:
                self.wait(float(target - self.model.now))

    def state(self):
        expected = self.model.state()
        why = self.model.describe()
        self.program.fixture("read_state", Ref("breaker"), shows="breaker.state").expect(
            ReturnsWhy(expected, why if expected != "closed" else
                       f"the breaker is closed with {self.model.failures} failure(s) counted, "
                       f"failure_threshold = {self.model.threshold}"))

    def calls_made(self):
        self.program.fixture("calls_made", shows="services called (in all)").expect(
            Satisfies(lambda count: None if count == self.model.calls else
                      f"the services were called {count} time(s), expected {self.model.calls}: "
                      f"an open breaker must not call func",
                      f"{self.model.calls} call(s)", show_value=False))

    def run(self, ops):
        for op in ops:
            kind = op[0]
            if kind == "ok":
                self.call(False, *op[1:])
            elif kind == "fail":
                self.call(True, *op[1:])
            elif kind == "wait":
                self.wait(op[1])
            elif kind == "timeout":
                self.wait_for_the_timeout(op[1])
            elif kind == "row":
                self.failures_in_a_row(*op[1:])
            elif kind == "state":
                self.state()
            elif kind == "calls":
                self.calls_made()
            else:
                raise AssertionError(f"unknown op {op!r}")
        return self


def ok(takes=0.0, args=(), kwargs=None):
    return ("ok", takes, args, kwargs)


def fail(takes=0.0, args=()):
    return ("fail", takes, args)


def wait(seconds):
    return ("wait", seconds)


def at_timeout(offset=0.0):
    return ("timeout", offset)


STATE = ("state",)
CALLS = ("calls",)

thresholds = st.sampled_from([1, 2, 3, 4, 5, 10])     # shrinks towards 1, an index at a time
thresholds_from_two = st.integers(min_value=2, max_value=6)
timeouts = st.sampled_from([0.0, 0.125, 0.5, 1.0, 2.5, 5.0, 30.0, 60.0])
long_timeouts = st.sampled_from([0.5, 1.0, 2.5, 5.0, 30.0, 60.0])
starts = st.sampled_from([0.0, 1.0, 12.5, 1000.0, 86_400.25, 1_000_000.0])
gaps = st.sampled_from([0.0, 0.125, 0.5, 1.0, 2.5, 10.0])
call_times = st.sampled_from([0.0, 0.0, 0.125, 0.5, 1.5])
argument_values = st.one_of(st.integers(min_value=-100, max_value=100), st.sampled_from(["", "x", "héllo", None, True]))
arguments = st.lists(argument_values, max_size=3)
keyword_arguments = st.dictionaries(st.sampled_from(["a", "key", "timeout", "retries", "x_1"]), argument_values,
                                    max_size=3)


# --------------------------------------------------------------------------
# Any sequence, against the model
# --------------------------------------------------------------------------

def failures_in_a_row(extra=0, gap=0.0):
    """Just short of (-1), at (0) or just over (1) the threshold, spaced ``gap`` apart."""
    return ("row", extra, gap)


# One step of a sequence: what a rule of a Hypothesis state machine would do, drawn as
# data instead, which costs Hypothesis a quarter of the time per example (no rule
# machinery) and shrinks better (a list loses steps, a step its values).
any_step = st.one_of(
    st.builds(ok, takes=call_times, args=st.sampled_from([(), (1,), ("x", 2)])),
    st.builds(fail, takes=call_times),
    st.builds(failures_in_a_row, extra=st.integers(min_value=-1, max_value=1), gap=gaps),
    st.builds(wait, gaps),
    st.builds(at_timeout, st.sampled_from([-EIGHTH, 0.0, 0.0, EIGHTH, 10.0])),
    st.just(STATE),
)


@st.composite
def sequences(draw):
    """Up to 20 steps; the length is drawn first, so long sequences are as likely as short ones."""
    length = draw(st.integers(min_value=0, max_value=20))
    return draw(st.lists(any_step, min_size=length, max_size=length))


@given(threshold=thresholds, timeout=timeouts, start=starts, steps=sequences())
def test_behaves_like_a_circuit_breaker(candidate, threshold, timeout, start, steps):
    """Any sequence of calls that succeed or fail, clock readings and state reads behaves like a reference circuit breaker."""
    breaker = BreakerProgram(threshold, timeout, start).run(list(steps) + [STATE, CALLS])
    candidate.check(breaker.program)


# --------------------------------------------------------------------------
# Closed
# --------------------------------------------------------------------------

@example(threshold=3, args=[1, "x"], kwargs={"key": 2})
@given(threshold=thresholds, args=arguments, kwargs=keyword_arguments)
def test_closed_calls_func_with_its_arguments_and_returns_the_result(candidate, threshold, args, kwargs):
    """closed (the start): call calls func(*args, **kwargs) and returns its result."""
    breaker = BreakerProgram(threshold, 5.0, 1000.0)
    breaker.run([STATE, ok(0.0, tuple(args), kwargs), ok(0.0, (), {}), ok(0.0, tuple(args[:1]), {}), STATE, CALLS])
    candidate.check(breaker.program)


@example(threshold=3, count=2)
@example(threshold=1, count=1)
@given(threshold=thresholds, count=st.integers(min_value=1, max_value=4))
def test_closed_reraises_the_exception(candidate, threshold, count):
    """closed: call re-raises the exception that func raised."""
    breaker = BreakerProgram(threshold, 5.0, 12.5)
    ops = [fail()] * min(count, threshold) + [STATE, CALLS]
    candidate.check(breaker.run(ops).program)


@example(threshold=2, gap=0.0)
@example(threshold=3, gap=1.0)
@given(threshold=thresholds_from_two, gap=gaps)
def test_a_success_resets_the_failure_count(candidate, threshold, gap):
    """Each exception counts a failure; a success resets the count to 0."""
    short = [fail(), wait(gap)] * (threshold - 1)
    ops = short + [ok(), wait(gap)] + short + [STATE, ok(), STATE] + short + [STATE, fail(), STATE]
    candidate.check(BreakerProgram(threshold, 30.0, 0.0).run(ops).program)


@example(threshold=3, gap=0.0, timeout=5.0)
@example(threshold=1, gap=0.0, timeout=5.0)
@given(threshold=thresholds, gap=gaps, timeout=long_timeouts)
def test_opens_when_the_count_reaches_the_threshold(candidate, threshold, gap, timeout):
    """When the count of failures reaches failure_threshold, the breaker opens."""
    ops = [fail(), wait(gap)] * (threshold - 1) + [STATE, fail(), STATE, ok(), CALLS]
    candidate.check(BreakerProgram(threshold, timeout, 86_400.25).run(ops).program)


# --------------------------------------------------------------------------
# Open
# --------------------------------------------------------------------------

@st.composite
def open_waits(draw):
    """Readings after opening, all before the timeout ends."""
    timeout = draw(long_timeouts)
    steps = int(timeout / EIGHTH) - 1
    waits = draw(st.lists(st.integers(min_value=0, max_value=max(steps // 3, 1)), min_size=1, max_size=3))
    return timeout, waits


@example(threshold=2, case=(5.0, [0, 8, 30]))
@given(threshold=thresholds, case=open_waits())
def test_open_rejects_calls_without_calling_func(candidate, threshold, case):
    """open: call raises CircuitOpenError without calling func while clock() - opened_at < recovery_timeout."""
    timeout, waits = case
    ops = [fail()] * threshold
    for steps in waits:
        ops += [wait(steps * EIGHTH), ok(), fail(), STATE]
    ops += [at_timeout(-EIGHTH), ok(), STATE, CALLS]
    candidate.check(BreakerProgram(threshold, timeout, 1.0).run(ops).program)


@example(threshold=3, gap=2.0, takes=0.0, timeout=5.0)
@example(threshold=2, gap=0.0, takes=1.5, timeout=5.0)
@example(threshold=1, gap=0.0, takes=0.5, timeout=1.0)
@given(threshold=thresholds_from_two | st.just(1), gap=st.sampled_from([0.5, 1.0, 2.5]),
       takes=call_times, timeout=long_timeouts)
def test_the_timeout_counts_from_the_failure_that_opened_it(candidate, threshold, gap, takes, timeout):
    """opened_at is the reading taken right after the failure that opened it (not at the first failure, nor before a slow call)."""
    ops = [fail(), wait(gap)] * (threshold - 1) + [fail(takes)]
    ops += [at_timeout(-EIGHTH), STATE, ok(), at_timeout(0.0), STATE, CALLS]
    candidate.check(BreakerProgram(threshold, timeout, 12.5).run(ops).program)


@example(threshold=2, timeout=5.0, later=10.0)
@example(threshold=1, timeout=0.0, later=0.0)
@example(threshold=1, timeout=0.125, later=0.0)
@given(threshold=thresholds, timeout=timeouts, later=st.sampled_from([0.0, 0.125, 10.0, 3600.0]))
def test_state_turns_half_open_by_itself(candidate, threshold, timeout, later):
    """Once clock() - opened_at reaches recovery_timeout, state reads "half-open", with no call in between."""
    ops = [fail()] * threshold + [STATE, at_timeout(0.0), STATE, wait(later), STATE, CALLS]
    candidate.check(BreakerProgram(threshold, timeout, 1000.0).run(ops).program)


# --------------------------------------------------------------------------
# Half-open
# --------------------------------------------------------------------------

@example(threshold=3, timeout=5.0, late=0.0)
@example(threshold=1, timeout=1.0, late=2.5)
@given(threshold=thresholds, timeout=timeouts, late=gaps)
def test_a_successful_trial_closes_the_breaker(candidate, threshold, timeout, late):
    """half-open: the next call is a trial, and its success closes the breaker with the count at 0."""
    ops = [fail()] * threshold + [at_timeout(late), STATE, ok(0.0, (7,)), STATE]
    ops += [fail()] * (threshold - 1) + [STATE, fail(), STATE]
    candidate.check(BreakerProgram(threshold, timeout, 0.0).run(ops).program)


@example(threshold=3, timeout=5.0, late=0.0, takes=0.0)
@example(threshold=2, timeout=1.0, late=10.0, takes=0.5)
@example(threshold=1, timeout=2.5, late=0.0, takes=0.0)
@given(threshold=thresholds_from_two | st.just(1), timeout=long_timeouts, late=gaps, takes=call_times)
def test_a_failed_trial_reopens_and_restarts_the_timeout(candidate, threshold, timeout, late, takes):
    """half-open: the trial's exception re-opens the breaker at that reading, and the timeout starts again."""
    ops = [fail()] * threshold + [at_timeout(late), STATE, fail(takes), STATE, ok(),
                                  at_timeout(-EIGHTH), STATE, ok(), at_timeout(0.0), STATE, ok(), STATE, CALLS]
    candidate.check(BreakerProgram(threshold, timeout, 1.0).run(ops).program)


@example(threshold=2, outcome="fail", args=[1], kwargs={})
@example(threshold=2, outcome="ok", args=[1, "x"], kwargs={"key": None})
@given(threshold=thresholds, outcome=st.sampled_from(["ok", "fail"]), args=arguments,
       kwargs=keyword_arguments)
def test_the_trial_caller_gets_the_result_or_the_exception(candidate, threshold, outcome, args, kwargs):
    """half-open: either way the trial's caller gets func's result or func's exception."""
    trial = ok(0.0, tuple(args), kwargs) if outcome == "ok" else fail(0.0, tuple(args))
    ops = [fail()] * threshold + [at_timeout(0.0), trial, CALLS]
    candidate.check(BreakerProgram(threshold, 5.0, 1.0).run(ops).program)


# --------------------------------------------------------------------------
# Arguments and CircuitOpenError
# --------------------------------------------------------------------------

def test_the_clock_defaults_to_time_monotonic(candidate):
    """clock defaults to time.monotonic: made without one, a breaker opens and stays open for an hour's recovery_timeout, and with recovery_timeout = 0 is half-open at once."""
    waits = BreakerProgram(2, 3600.0, 0.0, default_clock=True)
    waits.run([STATE, ok(0.0, (1,)), fail(), STATE, fail(), STATE, ok(), STATE, CALLS])
    candidate.check(waits.program)
    at_once = BreakerProgram(1, 0.0, 0.0, default_clock=True)
    at_once.run([fail(), STATE, ok(0.0, (2,)), STATE, CALLS])
    candidate.check(at_once.program)


bad_arguments = st.one_of(
    st.tuples(st.sampled_from([0, -1, -5]), timeouts),
    st.tuples(thresholds, st.sampled_from([-0.125, -1.0, -60.0])),
)


@example(arguments=(0, 5.0))
@example(arguments=(3, -1.0))
@given(arguments=bad_arguments)
def test_bad_arguments_raise_value_error(candidate, arguments):
    """CircuitBreaker raises ValueError when failure_threshold < 1 or recovery_timeout < 0."""
    threshold, timeout = arguments
    program = Program()
    program.fixture("fake_clock", 0.0, name="clock", shows="clock = FakeClock(0.0)")
    program.new("CircuitBreaker", threshold, timeout, clock=Ref("clock"), name="breaker").expect(Raises(ValueError))
    candidate.check(program)


def _open_error_problem(facts):
    if not isinstance(facts, dict):
        return f"could not be inspected ({show(facts)})"
    if not facts.get("is a class"):
        return "CircuitOpenError is not a class"
    if not facts.get("subclass of Exception"):
        return "CircuitOpenError is not a subclass of Exception"
    if facts.get("is Exception itself") or facts.get("module") == "builtins":
        return ("CircuitOpenError is a built-in exception, not a class of its own "
                "(write class CircuitOpenError(Exception) in solution.py)")
    return None


@given(threshold=st.integers(min_value=1, max_value=3))
def test_circuit_open_error_is_an_exception_class_of_the_solution(candidate, threshold):
    """CircuitOpenError is a class defined in solution.py, a subclass of Exception, and what an open breaker raises."""
    breaker = BreakerProgram(threshold, 5.0, 0.0).run([fail()] * threshold + [ok()])
    breaker.program.fixture("open_error_facts", shows="CircuitOpenError").expect(
        Satisfies(_open_error_problem, "a class of solution.py that subclasses Exception", show_value=False))
    candidate.check(breaker.program)
