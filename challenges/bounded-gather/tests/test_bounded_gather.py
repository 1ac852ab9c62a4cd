"""Hidden tests for bounded-gather: every sentence of the contract, against
the ideal schedule computed on the host.

Each example asks the sandbox's ``gather`` fixture (``sandbox_fixtures.py``)
to run ``await bounded_gather(factories, limit)`` on an event loop with a
virtual clock: factory i, when called, returns a fake awaitable (a coroutine,
or an object with ``__await__``) that sleeps ``durations[i]`` virtual seconds
and then returns its value or raises a GatherError. The fakes record, in
order, when each factory was called, when its awaitable started, finished,
raised or was cancelled; after ``bounded_gather`` returns or raises the loop
runs on for a while, so work left running or factories called later show too.

The host computes the ideal schedule (greedy list scheduling on ``limit``
slots: factory i is called at the moment the i-th slot frees) and judges the
record against it: the awaitables pending at any moment (a factory's result
is pending from the call until it finishes), the call times and order, the
total time, the results, the exception and the cancellations. Virtual times
are whole or half seconds, so every comparison is exact.

Durations are built on purpose: one long awaitable among short ones (a batch
waits for it, a pool does not), increasing and decreasing runs, all equal;
a failing awaitable finishes at a half second, so no other one finishes at
the same moment and "the first exception" and "still pending" are never
ties. The classic mistakes are ``@example``s, tried under every seed.
"""

import heapq

from hypothesis import example, given, strategies as st

from grader.harness.program import Program, Satisfies

TOLERANCE = 1e-6    # virtual seconds; the schedules are exact, this only absorbs float noise


def value_of(index):
    return f"result {index}" if index % 2 else index * 10


def schedule(durations, limit):
    """The ideal schedule: (call times, finish times), factory i called as
    soon as one of ``limit`` slots is free, in list order."""
    slots = [0.0] * max(1, min(limit, len(durations)))
    starts, finishes = [], []
    for duration in durations:
        start = heapq.heappop(slots)
        starts.append(start)
        finishes.append(start + duration)
        heapq.heappush(slots, start + duration)
    return starts, finishes


class Expected:
    """What a right bounded_gather does with these specs and limit."""

    def __init__(self, specs, limit):
        self.specs = specs
        self.limit = limit
        durations = [spec[0] for spec in specs]
        self.starts, self.finishes = schedule(durations, limit)
        failing = [i for i, spec in enumerate(specs) if spec[1][0] == "raise"]
        if failing:
            self.first = min(failing, key=lambda i: self.finishes[i])
            self.fails_at = self.finishes[self.first]
            self.called = [i for i in range(len(specs)) if self.starts[i] < self.fails_at]
            self.cancelled = [i for i in self.called if i != self.first and self.finishes[i] > self.fails_at]
            self.ends = self.fails_at
        else:
            self.first = None
            self.called = list(range(len(specs)))
            self.cancelled = []
            self.ends = max(self.finishes, default=0.0)
        self.horizon = sum(durations) + 1.0


# --------------------------------------------------------------------------
# Scenarios
# --------------------------------------------------------------------------

SHAPES = ["random", "one long", "increasing", "decreasing", "equal", "long first"]


@st.composite
def durations_for(draw, n):
    shape = draw(st.sampled_from(SHAPES))
    if shape == "random":
        return [draw(st.integers(1, 9)) for _ in range(n)]
    if shape == "one long":
        durations = [draw(st.integers(1, 2)) for _ in range(n)]
        durations[draw(st.integers(0, n - 1))] = draw(st.integers(6, 9))
        return durations
    if shape == "long first":
        return [9] + [draw(st.integers(1, 3)) for _ in range(n - 1)]
    if shape == "increasing":
        return sorted(draw(st.integers(1, 9)) for _ in range(n))
    if shape == "decreasing":
        return sorted((draw(st.integers(1, 9)) for _ in range(n)), reverse=True)
    return [draw(st.integers(1, 4))] * n


kinds = st.sampled_from(["coroutine", "coroutine", "coroutine", "awaitable"])


@st.composite
def successes(draw, min_n=1, max_n=12):
    """(specs, limit) where every awaitable succeeds."""
    n = draw(st.integers(min_n, max_n))
    durations = draw(durations_for(n))
    limit = draw(st.one_of(st.integers(1, max(1, n - 1)), st.integers(1, n + 2)))
    specs = [[durations[i], ["return", value_of(i)], draw(kinds)] for i in range(n)]
    return specs, limit


@st.composite
def failures(draw):
    """(specs, limit) where one awaitable raises first, at a half second (so
    nothing else finishes at that moment), and maybe others raise later."""
    specs, limit = draw(successes(min_n=2))
    n = len(specs)
    first = draw(st.integers(0, n - 1))
    specs[first][0] += 0.5
    specs[first][1] = ["raise", f"factory {first} failed"]
    _, finishes = schedule([spec[0] for spec in specs], limit)
    for other in draw(st.lists(st.integers(0, n - 1), max_size=2)):
        if other != first and finishes[other] > finishes[first]:
            specs[other][1] = ["raise", f"factory {other} failed"]
    return specs, limit


def _specs_text(specs):
    parts = []
    for index, (duration, outcome, kind) in enumerate(specs):
        result = f"-> {outcome[1]!r}" if outcome[0] == "return" else f"raises GatherError({outcome[1]!r})"
        parts.append(f"{duration:g}s {result}" + (" (an awaitable object)" if kind == "awaitable" else ""))
    return "[" + ", ".join(parts) + "]"


def gather(program, specs, limit):
    expected = Expected(specs, limit)
    step = program.fixture(
        "gather", specs, limit, expected.horizon,
        shows=(f"await bounded_gather(factories, limit={limit})  # factory i returns an awaitable that "
               f"sleeps, then returns or raises: {_specs_text(specs)}; virtual clock from 0"))
    return step, expected


def judged(check, description):
    return Satisfies(check, description, show_value=False)


def guarded(check):
    """A check of a report from the sandbox, which may be anything."""
    def run(report):
        try:
            stopped = report.get("stopped")
            if stopped:
                return stopped
            return check(report)
        except (KeyError, IndexError, TypeError, ValueError, AttributeError):
            return f"the report does not have the expected shape ({str(report)[:200]})"
    return run


# --------------------------------------------------------------------------
# Reading the record
# --------------------------------------------------------------------------

def at(t):
    return f"t={t:g}"


def events_of(report, kind):
    return [(index, time) for event, index, time in report["events"] if event == kind]


def outcome_text(report):
    if "raised" in report:
        raised = report["raised"]
        return f"raised {raised['type']}({raised['message']!r})"
    return f"returned {report['returned']!r}"


def returned_problem(report, expected):
    if "raised" in report:
        return f"bounded_gather {outcome_text(report)}, expected it to return the results"
    want = [expected.specs[i][1][1] for i in range(len(expected.specs))]
    if report["returned"] != want:
        return f"bounded_gather returned {report['returned']!r}, expected the results in the order of factories: {want!r}"
    return None


def ran_problem(report, expected):
    """A run of these specs must get through them all: a limit or a total
    time is only judged on a run that returned (or raised the exception)."""
    if expected.first is None and "raised" in report:
        return f"bounded_gather {outcome_text(report)}, expected it to return the results"
    called = [index for index, _ in events_of(report, "call")]
    missing = [i for i in expected.called if i not in called]
    if missing:
        return f"factories {missing} were never called"
    return None


def pending_problem(report, expected):
    """Replays the record: a factory's awaitable is pending from its call
    until it finishes, raises or is cancelled."""
    pending, most, when = set(), 0, 0.0
    for event, index, time in report["events"]:
        if event == "call":
            pending.add(index)
            if len(pending) > most:
                most, when = len(pending), time
        elif event in ("finish", "raise", "cancel"):
            pending.discard(index)
    if most > expected.limit:
        return (f"{most} awaitables were pending at {at(when)}, expected at most limit={expected.limit} "
                f"(call a factory only when a slot is free)")
    return ran_problem(report, expected)


def calls_problem(report, expected, what="called"):
    """Each expected factory called once, in list order, at its ideal time; no other called."""
    calls = events_of(report, "call")
    order = [index for index, _ in calls]
    if order != expected.called:
        if sorted(order) == sorted(expected.called):
            return f"the factories were called in the order {order}, expected list order {expected.called}"
        extra = [i for i in order if i not in expected.called]
        if extra and expected.first is not None:
            index = extra[0]
            time = dict(calls)[index]
            return (f"factory {index} was called at {at(time)}, after factory {expected.first}'s awaitable raised "
                    f"at {at(expected.fails_at)}: no further factory may be called")
        return f"the factories called were {order}, expected {expected.called}"
    for index, time in calls:
        want = expected.starts[index]
        if abs(time - want) > TOLERANCE:
            return (f"factory {index} was {what} at {at(time)}, expected at {at(want)}, "
                    f"as soon as a slot is free (limit={expected.limit}; the ideal schedule calls the factories at "
                    f"{', '.join(at(s) for s in expected.starts[:len(expected.called)])})")
    return None


def total_time_problem(report, expected):
    problem = ran_problem(report, expected)
    if problem:
        return problem
    ended = report["ended at"]
    if ended > expected.ends + TOLERANCE:
        return (f"bounded_gather took until {at(ended)}, the ideal schedule ends at {at(expected.ends)} "
                f"(limit={expected.limit}, no waiting for a whole batch)")
    return None


def raised_problem(report, expected):
    want = f"GatherError({expected.specs[expected.first][1][1]!r})"
    if "raised" not in report:
        return f"bounded_gather {outcome_text(report)}, expected it to raise factory {expected.first}'s {want}"
    raised = report["raised"]
    if raised["factory"] != expected.first:
        if raised["factory"] is None:
            return (f"bounded_gather raised {raised['type']}({raised['message']!r}), expected the very exception "
                    f"object factory {expected.first}'s awaitable raised at {at(expected.fails_at)}: {want}")
        return (f"bounded_gather raised factory {raised['factory']}'s exception, expected the first one raised: "
                f"factory {expected.first}'s {want}, at {at(expected.fails_at)}")
    return None


def cancel_problem(report, expected):
    cancels = dict(events_of(report, "cancel"))
    finishes = dict(events_of(report, "finish") + events_of(report, "raise"))
    for index in expected.cancelled:
        if index in finishes and finishes[index] > expected.fails_at + TOLERANCE:
            return (f"factory {index}'s awaitable was still running after factory {expected.first}'s raised at "
                    f"{at(expected.fails_at)} (it ended at {at(finishes[index])}): it should have been cancelled")
        if index not in cancels:
            return f"factory {index}'s awaitable was never cancelled after factory {expected.first}'s raised"
        if abs(cancels[index] - expected.fails_at) > TOLERANCE:
            return (f"factory {index}'s awaitable was cancelled at {at(cancels[index])}, expected at once, at "
                    f"{at(expected.fails_at)} when factory {expected.first}'s raised")
    return None


# --------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------

# Completion order is not list order: a long first awaitable, a decreasing run.
@example(scenario=([[3, ["return", 0], "coroutine"], [1, ["return", "result 1"], "coroutine"],
                    [2, ["return", 20], "coroutine"]], 3))
@example(scenario=([[9, ["return", 0], "coroutine"], [1, ["return", "result 1"], "awaitable"],
                    [1, ["return", 20], "coroutine"], [2, ["return", "result 3"], "coroutine"]], 2))
@given(scenario=successes())
def test_returns_the_results_in_the_order_of_factories(candidate, scenario):
    """It returns their results in the order of factories."""
    specs, limit = scenario
    program = Program()
    step, expected = gather(program, specs, limit)
    step.expect(judged(guarded(lambda r: returned_problem(r, expected)), "the results in list order"))
    candidate.check(program)


# Gathering everything at once, and calling every factory up front, exceed the limit.
@example(scenario=([[1, ["return", 0], "coroutine"], [1, ["return", "result 1"], "coroutine"],
                    [1, ["return", 20], "coroutine"]], 1))
@example(scenario=([[2, ["return", 0], "coroutine"], [5, ["return", "result 1"], "coroutine"],
                    [1, ["return", 20], "coroutine"], [1, ["return", "result 3"], "coroutine"],
                    [3, ["return", 40], "coroutine"]], 2))
@given(scenario=successes(min_n=2))
def test_never_more_than_limit_pending(candidate, scenario):
    """At most limit awaitables are pending at any moment."""
    specs, limit = scenario
    program = Program()
    step, expected = gather(program, specs, limit)
    step.expect(judged(guarded(lambda r: pending_problem(r, expected)), f"at most {limit} pending"))
    candidate.check(program)


# Batching in groups of limit waits for the slowest of each batch; so does a
# pool one slot short.
@example(scenario=([[5, ["return", 0], "coroutine"], [1, ["return", "result 1"], "coroutine"],
                    [1, ["return", 20], "coroutine"], [1, ["return", "result 3"], "coroutine"]], 2))
@example(scenario=([[1, ["return", 0], "coroutine"], [1, ["return", "result 1"], "coroutine"],
                    [1, ["return", 20], "coroutine"], [1, ["return", "result 3"], "coroutine"]], 2))
@given(scenario=successes(min_n=2))
def test_starts_the_next_one_as_soon_as_one_finishes(candidate, scenario):
    """It starts the next one as soon as one finishes (no waiting for a whole batch), keeping limit running while work remains."""
    specs, limit = scenario
    program = Program()
    step, expected = gather(program, specs, limit)
    step.expect(judged(guarded(lambda r: calls_problem(r, expected)), "the ideal schedule's call times"))
    candidate.check(program)


@example(scenario=([[2, ["return", 0], "coroutine"], [2, ["return", "result 1"], "coroutine"],
                    [2, ["return", 20], "coroutine"]], 1))
@example(scenario=([[1, ["return", i * 10 if i % 2 == 0 else f"result {i}"], "coroutine"] for i in range(5)], 2))
@given(scenario=successes(min_n=2))
def test_calls_the_factories_in_list_order(candidate, scenario):
    """It calls them in list order."""
    specs, limit = scenario
    program = Program()
    step, expected = gather(program, specs, limit)

    def problem(report):
        order = [index for index, _ in events_of(report, "call")]
        if order != sorted(order) or len(set(order)) != len(order):
            return f"the factories were called in the order {order}, expected list order"
        if order != expected.called:
            return f"the factories called were {order}, expected all of them: {expected.called}"
        return None

    step.expect(judged(guarded(problem), "list order"))
    candidate.check(program)


@example(scenario=([[6, ["return", 0], "coroutine"], [1, ["return", "result 1"], "coroutine"],
                    [1, ["return", 20], "coroutine"], [1, ["return", "result 3"], "coroutine"],
                    [6, ["return", 40], "coroutine"], [1, ["return", "result 5"], "coroutine"]], 3))
@given(scenario=successes(min_n=2))
def test_total_time_stays_close_to_the_ideal_schedule(candidate, scenario):
    """Its total time stays close to the ideal schedule's (no batching)."""
    specs, limit = scenario
    program = Program()
    step, expected = gather(program, specs, limit)
    step.expect(judged(guarded(lambda r: total_time_problem(r, expected)),
                       f"done by t={expected.ends:g}"))
    candidate.check(program)


# The first exception raised is not the first in list order.
@example(scenario=([[5, ["raise", "factory 0 failed"], "coroutine"], [1.5, ["raise", "factory 1 failed"], "coroutine"],
                    [3, ["return", 20], "coroutine"]], 3))
@example(scenario=([[1, ["return", 0], "coroutine"], [2.5, ["raise", "factory 1 failed"], "awaitable"],
                    [4, ["return", 20], "coroutine"]], 2))
@given(scenario=failures())
def test_raises_the_first_exception(candidate, scenario):
    """When an awaitable raises, bounded_gather raises that exception (the first one to be raised)."""
    specs, limit = scenario
    program = Program()
    step, expected = gather(program, specs, limit)
    step.expect(judged(guarded(lambda r: raised_problem(r, expected)), "the first exception object"))
    candidate.check(program)


@example(scenario=([[1.5, ["raise", "factory 0 failed"], "coroutine"], [4, ["return", "result 1"], "coroutine"],
                    [6, ["return", 20], "awaitable"], [1, ["return", "result 3"], "coroutine"]], 3))
@given(scenario=failures().filter(lambda s: Expected(*s).cancelled))
def test_cancels_those_still_pending(candidate, scenario):
    """When an awaitable raises, bounded_gather cancels those still pending."""
    specs, limit = scenario
    program = Program()
    step, expected = gather(program, specs, limit)
    step.expect(judged(guarded(lambda r: cancel_problem(r, expected)), "the pending ones cancelled"))
    candidate.check(program)


@example(scenario=([[1.5, ["raise", "factory 0 failed"], "coroutine"], [4, ["return", "result 1"], "coroutine"],
                    [1, ["return", 20], "coroutine"], [1, ["return", "result 3"], "coroutine"]], 2))
@example(scenario=([[2.5, ["raise", "factory 0 failed"], "coroutine"], [1, ["return", "result 1"], "coroutine"],
                    [1, ["return", 20], "coroutine"]], 1))
@given(scenario=failures())
def test_calls_no_further_factory_after_an_exception(candidate, scenario):
    """When an awaitable raises, bounded_gather calls no further factory."""
    specs, limit = scenario
    program = Program()
    step, expected = gather(program, specs, limit)

    def problem(report):
        calls = events_of(report, "call")
        for index, time in calls:
            if index not in expected.called:
                return (f"factory {index} was called at {at(time)}, after factory {expected.first}'s awaitable "
                        f"raised at {at(expected.fails_at)}: no further factory may be called")
        missing = [i for i in expected.called if i not in dict(calls)]
        if missing:
            return (f"factories {missing} were never called, expected them called before factory "
                    f"{expected.first}'s awaitable raised at {at(expected.fails_at)}")
        return None

    step.expect(judged(guarded(problem), "no call after the exception"))
    candidate.check(program)


@example(limit=0, n=3)
@example(limit=0, n=0)
@given(limit=st.integers(-3, 0), n=st.integers(0, 3))
def test_limit_below_one_raises_value_error(candidate, limit, n):
    """ValueError when limit < 1 (also for an empty list: the limit is checked first)."""
    specs = [[1, ["return", value_of(i)], "coroutine"] for i in range(n)]
    program = Program()
    step, _ = gather(program, specs, limit)

    def problem(report):
        raised = report.get("raised")
        if raised is None:
            return f"bounded_gather {outcome_text(report)}, expected ValueError for limit={limit}"
        if raised["is a ValueError"] is not True:
            return f"bounded_gather raised {raised['type']}({raised['message']!r}), expected ValueError for limit={limit}"
        return None

    step.expect(judged(guarded(problem), "ValueError"))
    candidate.check(program)


@given(limit=st.integers(1, 3))
def test_empty_list_gives_empty_list(candidate, limit):
    """[] gives []."""
    program = Program()
    step, _ = gather(program, [], limit)
    step.expect(judged(guarded(lambda r: None if r.get("returned") == [] and "raised" not in r
                               else f"bounded_gather([], {limit}) {outcome_text(r)}, expected []"), "[]"))
    candidate.check(program)
