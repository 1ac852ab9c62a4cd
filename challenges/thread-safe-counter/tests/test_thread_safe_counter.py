"""Hidden tests for thread-safe-counter: every sentence of the contract, against a model.

The threaded tests run the calls in real threads inside the sandbox through
the challenge's ``run_threads`` fixture (sandbox_fixtures.py), which forces a
thread switch before every bytecode of the submission's code, round robin.
So a lost update or a check-then-act race happens on every run: the threads'
interleaving does not depend on the seed or on luck. Their shapes are small
finite sets, every one of which a race breaks, so Hypothesis tries them all
under every seed (and stops: there is nothing more to draw). Each shape runs
from one start value, the starts taking turns (pairs(), below), rather than
from every start: the schedule is the same whatever the start, so the cross
product only ran the same interleavings again, and every start is still
used by every test. What the fixture
reports is the submission's answer: the host's model decides every
expectation, and the counter's value is read afterwards by a plain step.
"""

from hypothesis import example, given, strategies as st

from grader.agent.agent import Ref
from grader.harness.program import Program, Satisfies, show

DEADLINE = 1.0   # seconds the threads of one run get before the ones still running count as deadlocked
                 # (a correct counter needs a few milliseconds; the call time-out is 2 s)

STARTS = [0, 7, -5]


def pairs(cases, turn=0):
    """Each case with a start value, the starts taking turns from STARTS[turn]."""
    return [(case, STARTS[(index + turn) % len(STARTS)]) for index, case in enumerate(cases)]

THREADS_SWITCH = ("the grader switches threads between any two bytecodes of your code, so a read-modify-write "
                  "such as `self._value += amount` that other threads can interleave loses updates")


# --------------------------------------------------------------------------
# The model and the program's pieces
# --------------------------------------------------------------------------

class Model:
    """The counter as a sequence of calls one at a time."""

    def __init__(self, start=0):
        self.value = start

    def increment(self, amount=1):
        self.value += amount

    def decrement(self, amount=1):
        self.value -= amount

    def add_if_below(self, amount, limit):
        if self.value < limit:
            self.value += amount
            return True
        return False


def new_counter(program, start=None):
    """c = Counter(start), or Counter() when start is None."""
    if start is None:
        return program.new("Counter", name="c")
    return program.new("Counter", start, name="c")


def is_int(expected):
    return lambda value: type(value) is int and value == expected


def reads(program, expected, why=""):
    """c.value must be ``expected``."""
    description = show(expected) + (f" ({why})" if why else "")
    program.fixture("read_value", Ref("c"), shows="c.value").expect(Satisfies(is_int(expected), description))


def call_text(call):
    """["add_if_below", 1, 10] -> "c.add_if_below(1, 10)"; ["value"] -> "c.value"."""
    if call[0] == "value":
        return "c.value"
    return f"c.{call[0]}({', '.join(show(arg) for arg in call[1:])})"


def plan_text(plan):
    """How a thread run reads in a counterexample: runs of the same call are
    counted, and threads with the same calls are told once."""
    def thread_text(calls):
        parts, index = [], 0
        while index < len(calls):
            run = 1
            while index + run < len(calls) and calls[index + run] == calls[index]:
                run += 1
            parts.append(call_text(calls[index]) + (f" x {run}" if run > 1 else ""))
            index += run
        return ", ".join(parts)

    groups = []
    for calls in plan:
        text = thread_text(calls)
        if groups and groups[-1][0] == text:
            groups[-1][1] += 1
        else:
            groups.append([text, 1])
    if len(groups) == 1:
        text, count = groups[0]
        return f"in one thread: {text}" if count == 1 else f"in {count} threads at once, each: {text}"
    return "in threads at once: " + "; ".join(
        f"{count} x [{text}]" if count > 1 else f"[{text}]" for text, count in groups)


class EveryCallReturns(Satisfies):
    """The thread runner's report is judged, not shown: the transcript line
    is the plan, and a failure says what went wrong in words."""

    shows_result = False


def run_threads(program, plan, judge_returns=None):
    """Run ``plan`` (one list of calls per thread) in real threads; every call
    must return, without raising, within DEADLINE, and ``judge_returns``
    (given the returned values, one list per thread) may say what else is
    wrong."""
    def check(report):
        if not (type(report) is list and len(report) == len(plan)
                and all(type(outs) is list and len(outs) == len(calls) for outs, calls in zip(report, plan))):
            return "the thread runner's report was not one entry per call (was it tampered with?)"
        returned = []
        for thread, (calls, outs) in enumerate(zip(plan, report)):
            values = []
            for call, out in zip(calls, outs):
                if type(out) is not list or not out or type(out[0]) is not str:
                    return "the thread runner's report is malformed (was it tampered with?)"
                if out[0] == "raised" and len(out) == 2:
                    return f"in thread {thread}, {call_text(call)} raised {show(out[1])}"
                if out[0] in ("did not return", "not started"):
                    return (f"in thread {thread}, {call_text(call)} did not return within {DEADLINE:g} s: "
                            "the threads deadlocked (a thread waiting for a lock it already holds, such as a "
                            "threading.Lock taken again by a method called under it, or threads waiting for "
                            "each other's locks), or a call waits far too long")
                if out[0] != "returned" or len(out) != 2:
                    return "the thread runner's report is malformed (was it tampered with?)"
                values.append(out[1])
            returned.append(values)
        if judge_returns is not None:
            return judge_returns(returned)
        return None

    program.fixture("run_threads", Ref("c"), plan, DEADLINE, shows=f"run {plan_text(plan)}").expect(
        EveryCallReturns(check, "every call to return", show_value=False))


LOST_UPDATES = f"every update counted once: {THREADS_SWITCH}"


# --------------------------------------------------------------------------
# One thread
# --------------------------------------------------------------------------

@given(start=st.integers(-10**6, 10**6))
@example(start=7)
@example(start=-3)
def test_counter_starts_at_start(candidate, start):
    """`Counter(start)` starts at `start`, 0 by default, and `value` reads the current count."""
    program = Program()
    new_counter(program)
    reads(program, 0, "Counter() starts at 0")
    new_counter(program, start)
    reads(program, start, f"Counter({start}) starts at {start}")
    candidate.check(program)


def test_value_is_a_property(candidate):
    """`value` is a property (`@property def value(self) -> int`), read as `counter.value`."""
    program = Program()
    new_counter(program, 3)
    program.fixture("value_kind", Ref("c"), shows="type(Counter.__dict__['value'])").expect(Satisfies(
        lambda kind: None if kind == "property" else (
            "value is a plain method: add @property above `def value(self)`" if kind == "function" else
            "value is an attribute of each counter, not a property: anyone could assign it, and reading it "
            "takes no lock; define it with @property" if kind == "not a class attribute" else
            f"value is a {show(kind)}, not a property"),
        "a property", show_value=False))
    reads(program, 3)
    candidate.check(program)


amounts = st.sampled_from([1, 1, 2, 3, 5, 10])
one_thread_calls = st.lists(st.one_of(
    st.tuples(st.sampled_from(["increment", "decrement"]), st.one_of(st.none(), amounts)),
    st.tuples(st.just("add_if_below"), amounts, st.integers(-15, 15)),
    st.tuples(st.just("value")),
), max_size=25)


@given(start=st.sampled_from([None, 0, 4, -6]), calls=one_thread_calls)
@example(start=None, calls=[("increment", None), ("increment", None), ("decrement", None), ("value",)])
@example(start=3, calls=[("add_if_below", 2, 5), ("add_if_below", 2, 5), ("add_if_below", 2, 5), ("value",)])
def test_calls_in_one_thread_behave_like_the_model(candidate, start, calls):
    """Calls one at a time: `increment` and `decrement` add and subtract `amount` (1 by default),
    `add_if_below` adds only below the limit, and `value` reads the count."""
    program = Program()
    model = Model(0 if start is None else start)
    counter = new_counter(program, start)
    for call in calls:
        name = call[0]
        if name == "value":
            reads(program, model.value)
        elif name == "add_if_below":
            program.method(counter, name, *call[1:]).expect(model.add_if_below(*call[1:]))
        elif call[1] is None:
            program.method(counter, name)
            getattr(model, name)()
        else:
            program.method(counter, name, call[1])
            getattr(model, name)(call[1])
    reads(program, model.value)
    candidate.check(program)


@given(start=st.integers(-50, 50), amount=st.integers(1, 6), gap=st.integers(-8, 8))
@example(start=5, amount=1, gap=0)      # value == limit: not below, so nothing is added
@example(start=5, amount=1, gap=1)      # value == limit - 1: below, so it adds
@example(start=0, amount=5, gap=2)      # the add passes the limit: it still adds, the value before it was below
@example(start=9, amount=3, gap=-4)     # above the limit: False, and the value stays
def test_add_if_below_adds_only_when_the_value_is_below_the_limit(candidate, start, amount, gap):
    """`add_if_below(amount, limit)` adds `amount` and returns `True` only when the value before
    the add is below `limit`; otherwise it adds nothing and returns `False`."""
    limit = start + gap
    program = Program()
    model = Model(start)
    counter = new_counter(program, start)
    for _ in range(3):
        program.method(counter, "add_if_below", amount, limit).expect(model.add_if_below(amount, limit))
        reads(program, model.value)
    candidate.check(program)


# --------------------------------------------------------------------------
# Many threads
# --------------------------------------------------------------------------

# (threads, calls per thread, amount; None: the default of 1)
UPDATE_SHAPES = [(2, 12, None), (3, 8, 2), (4, 6, 1), (6, 4, 3), (8, 3, None)]


@given(case=st.sampled_from(pairs(UPDATE_SHAPES)))
def test_no_increment_is_lost_across_threads(candidate, case):
    """Every method may be called from many threads at once, and the counter must behave as if the
    calls happened one at a time in some order: no update is ever lost (increments)."""
    (threads, calls, amount), start = case
    call = ["increment"] if amount is None else ["increment", amount]
    expected = start + threads * calls * (amount or 1)
    program = Program()
    new_counter(program, start)
    run_threads(program, [[call] * calls for _ in range(threads)])
    reads(program, expected, LOST_UPDATES)
    candidate.check(program)


@given(case=st.sampled_from(pairs(UPDATE_SHAPES, turn=1)))
def test_no_decrement_is_lost_across_threads(candidate, case):
    """Every method may be called from many threads at once, and the counter must behave as if the
    calls happened one at a time in some order: no update is ever lost (decrements)."""
    (threads, calls, amount), start = case
    call = ["decrement"] if amount is None else ["decrement", amount]
    expected = start - threads * calls * (amount or 1)
    program = Program()
    new_counter(program, start)
    run_threads(program, [[call] * calls for _ in range(threads)])
    reads(program, expected, LOST_UPDATES)
    candidate.check(program)


# Increments by 1-3, decrements by thousands, add_if_below under a limit never reached (so it always adds):
# an update lost from an increment can never make up for one lost from a decrement (the increments add up to
# less than 1000), so any lost update shows in the final value.
MIXED_CALLS = [["increment", 1], ["decrement", 1000], ["add_if_below", 2, 10**9], ["increment", 3],
               ["decrement", 2000], ["add_if_below", 1, 10**9], ["increment"], ["decrement"]]
MIXED_SHAPES = [(2, 8), (3, 6), (4, 6), (6, 4)]   # (threads, calls per thread)


def mixed_plan(threads, calls, offset):
    """Thread t makes MIXED_CALLS from position t + offset on, so at any moment the threads are in
    different methods."""
    return [[MIXED_CALLS[(thread + offset + j) % len(MIXED_CALLS)] for j in range(calls)]
            for thread in range(threads)]


@given(case=st.sampled_from(pairs([(shape, offset) for shape in MIXED_SHAPES for offset in (0, 3)])))
def test_no_update_is_lost_when_threads_mix_methods(candidate, case):
    """Every method may be called from many threads at once, and the counter must behave as if the
    calls happened one at a time in some order: no update is ever lost (increment, decrement and
    add_if_below at once)."""
    (shape, offset), start = case
    plan = mixed_plan(*shape, offset)
    model = Model(start)
    for calls in plan:
        for call in calls:
            getattr(model, call[0])(*call[1:])

    def all_added(returned):
        for thread, (calls, values) in enumerate(zip(plan, returned)):
            for call, value in zip(calls, values):
                if call[0] == "add_if_below" and value is not True:
                    return (f"in thread {thread}, {call_text(call)} returned {show(value)}, expected True "
                            f"(the value never comes near {call[2]})")
        return None

    program = Program()
    new_counter(program, start)
    run_threads(program, plan, all_added)
    reads(program, model.value, LOST_UPDATES)
    candidate.check(program)


# (threads, calls per thread, amount, limit - start): fewer adds fit below the limit than there are threads,
# so when the threads all check before any of them adds, more than that many add.
RACE_SHAPES = [(12, 1, 1, 10), (4, 3, 1, 3), (6, 2, 2, 5), (3, 4, 5, 1), (8, 2, 3, 20), (5, 2, 1, 0), (4, 2, 1, -3)]


@given(case=st.sampled_from(pairs(RACE_SHAPES)))
@example(case=((12, 1, 1, 10), 0))   # the contract's example: N threads racing to add_if_below(1, 10) end at 10
def test_threads_racing_add_if_below_stop_at_the_limit(candidate, case):
    """`add_if_below(amount, limit)` adds `amount` and returns `True` only when the value before the
    add is below `limit`, as one indivisible step (so N threads racing to `add_if_below(1, 10)` end
    at exactly 10)."""
    (threads, calls, amount, gap), start = case
    limit = start + gap
    model = Model(start)
    wins = sum(model.add_if_below(amount, limit) for _ in range(threads * calls))

    def count_wins(returned):
        values = [value for per_thread in returned for value in per_thread]
        if not all(value is True or value is False for value in values):
            odd = next(value for value in values if value is not True and value is not False)
            return f"add_if_below returned {show(odd)}, expected True or False"
        got = sum(values)
        if got != wins:
            return (f"{got} of the {len(values)} calls returned True, expected exactly {wins}: from {start}, only "
                    f"{wins} add(s) of {amount} start below {limit}; the check and the add must be one step under "
                    "one lock, or two threads both see a value below the limit and both add")
        return None

    program = Program()
    new_counter(program, start)
    run_threads(program, [[["add_if_below", amount, limit]] * calls for _ in range(threads)], count_wins)
    reads(program, model.value, f"{wins} add(s) of {amount} from {start}")
    candidate.check(program)


# Every method in every thread, add_if_below both adding and refusing: whatever the order, every call returns,
# each value read is an int, and the final value is the start plus what the calls that returned say they did.
DEADLOCK_PLANS = [
    [[["add_if_below", 1, 3], ["increment"], ["value"], ["decrement", 2]]] * 3,
    [[["increment", 2], ["add_if_below", 5, 4], ["add_if_below", 1, 100]] * 2, [["value"], ["decrement"]] * 3],
    [[["add_if_below", 1, 2]] * 3, [["increment"], ["add_if_below", 2, 6]] * 2, [["decrement", 3], ["value"]] * 2,
     [["add_if_below", 4, 0], ["increment", 1]] * 2],
    [[["add_if_below", 1, 1]]],
]


@given(plan=st.sampled_from(DEADLOCK_PLANS), start=st.sampled_from([0, 2]))
@example(plan=DEADLOCK_PLANS[3], start=0)   # one thread, one add_if_below: a Lock taken twice deadlocks even so
def test_no_sequence_of_calls_deadlocks(candidate, plan, start):
    """No sequence of calls deadlocks, and a call never waits for long."""
    def consistent(returned):
        total = start
        for thread, (calls, values) in enumerate(zip(plan, returned)):
            for call, value in zip(calls, values):
                if call[0] == "value" and type(value) is not int:
                    return f"in thread {thread}, c.value returned {show(value)}, expected an int"
                if call[0] == "add_if_below":
                    if value is not True and value is not False:
                        return f"in thread {thread}, {call_text(call)} returned {show(value)}, expected True or False"
                    total += call[1] if value else 0
                elif call[0] == "increment":
                    total += call[1] if len(call) > 1 else 1
                elif call[0] == "decrement":
                    total -= call[1] if len(call) > 1 else 1
        outcome[0] = total
        return None

    outcome = [None]
    program = Program()
    new_counter(program, start)
    run_threads(program, plan, consistent)
    program.fixture("read_value", Ref("c"), shows="c.value").expect(Satisfies(
        lambda value: outcome[0] is None or (type(value) is int and value == outcome[0]) or (
            f"c.value returned {show(value)}, expected {outcome[0]}: the start plus every increment, minus every "
            f"decrement, plus the amount of each add_if_below that returned True ({THREADS_SWITCH})"),
        "the start plus what the calls did", show_value=False))
    candidate.check(program)
