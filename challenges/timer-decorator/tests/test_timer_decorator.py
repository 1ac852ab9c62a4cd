"""Hidden tests for timer-decorator: every sentence of the contract.

Each example asks the agent's ``timer_probe`` fixture to decorate one of its
probes (``add``, ``fail``, ``collect``, ``method``, ``async``, ``async_fail``,
``async_method``) with the submission's ``timer`` while ``time.perf_counter``
is a fake clock that reads ``start`` first and advances by ``elapsed`` per
reading, call it (once, or ``calls`` times), and report the log records, the
result or exception and the wrapper's metadata as a dict. The checks below
read that dict and say in words what is wrong; the dict itself, the
grader's instrument, is never shown (``judged``).

The clock's starting reading is drawn on purpose (0, readings smaller than
the elapsed time, large and non-integer ones): arithmetic that only looks
like ``end - start`` for one starting reading (``end % start``, ``end - 1000``)
fails, and the classic cases are ``@example``s, tried under every seed.
"""

from hypothesis import example, given, strategies as st

from grader.harness.program import Program, Satisfies

# Fake seconds per perf_counter() reading. Rounded to 4 decimals so that the
# expected "{elapsed:.4f}" text is never a rounding tie.
elapsed_seconds = st.floats(min_value=0, max_value=100).map(lambda x: round(x, 4))
# A few distinct values, for tests where the elapsed time is not the point.
some_elapsed = st.sampled_from([0.0001, 0.25, 1.5, 37.0625, 99.9999])


@st.composite
def clocks(draw):
    """(start, elapsed): the fake perf_counter's first reading and how far each
    reading advances. The start is 0, smaller than the elapsed time, larger
    than it (up to a machine that has been up for weeks), or any reading, and
    often not an integer: only ``end - start`` is right for all of them."""
    elapsed = draw(elapsed_seconds)
    relation = draw(st.sampled_from(["zero", "below", "above", "any"]))
    if relation == "zero":
        start = 0.0
    elif relation == "below":        # e.g. end % start is not end - start here
        start = round(elapsed * draw(st.sampled_from([0.1, 0.25, 0.5, 0.9, 1.0])), 4)
    elif relation == "above":
        start = elapsed + draw(st.sampled_from([0.5, 3.0, 999.125, 86_400.0, 1_814_400.75]))
    else:
        start = round(draw(st.floats(min_value=0, max_value=2_000_000)), 3)
    return start, elapsed


# The classic starting readings, tried under every seed: 0 (a division or
# modulo by the start fails, the end reading alone passes), smaller than the
# elapsed time (end % start is not the elapsed time), small non-integers,
# and a large reading with a tiny elapsed time.
CLASSIC_CLOCKS = [(0.0, 1.5), (0.5, 1.5), (3.0, 7.25), (1.0, 0.5), (86_400.5, 0.0001)]
# A small pool of them, for tests where the clock is not the only point (cheap:
# Hypothesis stops once a small space is exhausted).
classic_clocks = st.sampled_from(CLASSIC_CLOCKS)
some_clocks = st.sampled_from(CLASSIC_CLOCKS + [(0.0, 0.0625), (12.375, 99.9999), (1_814_400.75, 37.0625)])

small_values = st.one_of(st.integers(-1000, 1000), st.sampled_from(["", "x", "héllo", None, True]))
names = st.sampled_from(["a", "b", "key", "note", "x_1", "func"])
messages = st.sampled_from(["probe failure", "", "division by zero", "bad value: 'x'", "naïve ☃", "a\nb"])


# --------------------------------------------------------------------------
# Calls: (kind, args, kwargs, what it returns, how the call reads)
# --------------------------------------------------------------------------

def _call_text(function, args, kwargs):
    parts = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    return f"{function}({', '.join(parts)})"


@st.composite
def add_calls(draw):
    a, b = draw(st.one_of(
        st.tuples(st.integers(-10**6, 10**6), st.integers(-10**6, 10**6)),
        st.tuples(st.sampled_from(["", "ab", "ç"]), st.sampled_from(["", "cd"])),
        st.tuples(st.sampled_from([[], [1]]), st.sampled_from([[], [2, 3]])),
    ))
    if draw(st.booleans()):
        args, kwargs = [a], {"b": b}
    else:
        args, kwargs = [a, b], {}
    return "add", args, kwargs, a + b, _call_text("timer(_probe_add)", args, kwargs)


@st.composite
def collect_calls(draw):
    args = draw(st.lists(small_values, max_size=4))
    kwargs = draw(st.dictionaries(names, small_values, max_size=3))
    return "collect", args, kwargs, [args, kwargs], _call_text("timer(_probe_collect)", args, kwargs)


@st.composite
def method_calls(draw):
    amount = draw(st.integers(-100, 100))
    kwargs = {"note": draw(st.sampled_from(["", "rent", "gift"]))} if draw(st.booleans()) else {}
    returned = [10 + amount, kwargs.get("note", "")]
    shows = ("_Account.timed_deposit = timer(_Account.deposit); "
             + _call_text("_Account().timed_deposit", [amount], kwargs))
    return "method", [amount], kwargs, returned, shows


@st.composite
def fail_calls(draw):
    message = draw(messages)
    args = draw(st.sampled_from([[], [1], ["x", 2]]))
    kwargs = draw(st.sampled_from([{}, {"key": 3}]))
    shows = f"{_call_text('timer(fail)', args, kwargs)}  # fail raises ProbeError({message!r})"
    return "fail", args, kwargs, message, shows


returning_calls = st.one_of(add_calls(), collect_calls(), method_calls())

# One fixed call per probe kind, for tests where the arguments are not the point.
FIXED = {
    "add": ("add", [1, 2], {}, 3, "timer(_probe_add)(1, 2)"),
    "collect": ("collect", [1], {"key": "x"}, [[1], {"key": "x"}], "timer(_probe_collect)(1, key='x')"),
    "method": ("method", [5], {"note": "rent"}, [15, "rent"],
               "_Account.timed_deposit = timer(_Account.deposit); _Account().timed_deposit(5, note='rent')"),
    "fail": ("fail", [1], {}, "probe failure", "timer(fail)(1)  # fail raises ProbeError('probe failure')"),
}


def clock_text(start, elapsed):
    return f"perf_counter() reads {start!r} first and advances {elapsed}s per reading"


def probe(program, call, elapsed, clock_note=False, start=1000.0, calls=1):
    """The fixture step for ``calls`` calls of one wrapper; returns it so the
    test can expect on it."""
    kind, args, kwargs, extra, shows = call
    if calls > 1:
        shows = f"{calls} calls of {shows}"
    if clock_note:
        note = clock_text(start, elapsed)
        shows += f"; {note}" if "  # " in shows else f"  # {note}"
    message = extra if kind in ("fail", "async_fail") else "probe failure"
    return program.fixture("timer_probe", kind, args, kwargs, elapsed, message, start, calls, shows=shows)


# --------------------------------------------------------------------------
# Reading the report
# --------------------------------------------------------------------------

def on_timer(report, level):
    return [message for lvl, logger, message in report["records"] if lvl == level and logger == "timer"]


def elsewhere(report, level):
    return [(logger, message) for lvl, logger, message in report["records"] if lvl == level and logger != "timer"]


def judged(check, description):
    """An expectation on the probe's report whose failure message is the
    check's reason alone: the report's internals mean nothing to a candidate."""
    return Satisfies(check, description, show_value=False)


def outcome_problem(report):
    """What the call did, when it raised instead of returning."""
    if "raised" in report:
        raised = report["raised"]
        return f"the wrapper raised {raised['type']}({raised['message']!r})"
    return None


def call_problem(report, call):
    """What the call itself did wrong, if anything: raised, for a probe that
    returns; anything but re-raising the probe's own exception, for fail."""
    kind, _, _, extra, _ = call
    if kind in ("fail", "async_fail"):
        raised = report.get("raised")
        if raised is None:
            return f"the wrapper returned {report.get('returned')!r} instead of re-raising the ProbeError"
        if not raised["same object"]:
            return (f"the wrapper raised {raised['type']}({raised['message']!r}) "
                    f"instead of re-raising the ProbeError")
        return None
    problem = outcome_problem(report)
    return f"{problem}, expected it to return {extra!r}" if problem else None


def led_by_the_call(report, call, problem):
    """``problem``, after what went wrong with the call itself: a TypeError
    from the wrapper explains a missing record better than the record does."""
    cause = call_problem(report, call) if problem else None
    return f"{cause}; {problem}" if cause else problem


def metadata_problem(report):
    """None when the wrapper looks like the decorated function, as functools.wraps makes it."""
    for attribute in ("__name__", "__qualname__", "__doc__", "__module__"):
        got, want = report["metadata"][attribute], report["function"][attribute]
        if got != want:
            return (f"the wrapper did not keep the function's {attribute} ({got!r} instead of {want!r}); "
                    f"functools.wraps(func) copies it")
    if not report["metadata"]["wraps the function"]:
        return "the wrapper's __wrapped__ is not the decorated function (functools.wraps(func) sets it)"
    return None


def one_record_problem(report, level, expected):
    """None when the 'timer' logger got exactly one ``level`` record ``expected``."""
    found = on_timer(report, level)
    if not found:
        other = elsewhere(report, level)
        if other:
            logger, message = other[0]
            return (f"logged {message!r} at {level} on the {logger!r} logger, "
                    f"expected it on the 'timer' logger")
        return (f"logged no {level} record on the 'timer' logger, expected {expected!r} "
                f"(records on other loggers, such as the root logger, and print() output do not count)")
    if len(found) > 1:
        return f"logged {len(found)} {level} records {found!r}, expected exactly one"
    if found[0] != expected:
        return f"logged {found[0]!r} at {level}, expected {expected!r}"
    return None


def info_text(report, elapsed):
    return f"{report['function']['__name__']}: {elapsed:.4f}s"


def error_text(report, message):
    return f"{report['function']['__name__']} failed: {message}"


# --------------------------------------------------------------------------
# Plain functions, methods, *args/**kwargs: the result comes back unchanged
# --------------------------------------------------------------------------

def returns(expected):
    def check(report):
        problem = outcome_problem(report)
        if problem:
            return f"{problem}, expected it to return {expected!r}"
        if report.get("returned") != expected or type(report.get("returned")) is not type(expected):
            return f"the wrapper returned {report.get('returned')!r}, expected {expected!r}"
        return None
    return judged(check, f"the call to return {expected!r}")


@given(call=add_calls(), elapsed=some_elapsed)
def test_returns_the_result_unchanged(candidate, call, elapsed):
    """timer(func) returns a wrapper that calls func with the same arguments and returns its result unchanged."""
    program = Program()
    probe(program, call, elapsed).expect(returns(call[3]))
    candidate.check(program)


@given(call=collect_calls(), elapsed=some_elapsed)
def test_passes_positional_and_keyword_arguments(candidate, call, elapsed):
    """The wrapper works on functions that take *args and **kwargs and passes every argument through."""
    program = Program()
    probe(program, call, elapsed).expect(returns(call[3]))
    candidate.check(program)


@given(call=method_calls(), clock=clocks())
def test_works_on_methods(candidate, call, clock):
    """The wrapper works on methods: self and the other arguments reach the method and its timing is logged."""
    start, elapsed = clock

    def check(report):
        problem = returns(call[3]).check(report)
        return problem or one_record_problem(report, "INFO", info_text(report, elapsed))
    program = Program()
    probe(program, call, elapsed, clock_note=True, start=start).expect(
        judged(check, f"the call to return {call[3]!r} and log its timing"))
    candidate.check(program)


# --------------------------------------------------------------------------
# Timing and the INFO record
# --------------------------------------------------------------------------

@given(call=returning_calls, clock=clocks())
@example(call=FIXED["add"], clock=CLASSIC_CLOCKS[0])
@example(call=FIXED["collect"], clock=CLASSIC_CLOCKS[1])
@example(call=FIXED["method"], clock=CLASSIC_CLOCKS[2])
@example(call=FIXED["add"], clock=CLASSIC_CLOCKS[3])
@example(call=FIXED["add"], clock=CLASSIC_CLOCKS[4])
def test_logs_one_info_record_with_the_elapsed_time(candidate, call, clock):
    """Every call logs, on the logger named "timer", exactly one INFO record f"{func.__name__}: {elapsed:.4f}s"."""
    start, elapsed = clock

    def check(report):
        problem = outcome_problem(report)
        if problem:
            return f"{problem}, expected it to return {call[3]!r} and log its timing"
        problem = one_record_problem(report, "INFO", info_text(report, elapsed))
        if problem:
            return problem
        errors = on_timer(report, "ERROR") + [m for _, m in elsewhere(report, "ERROR")]
        if errors:
            return f"logged {errors[0]!r} at ERROR, but the function did not raise"
        return None
    program = Program()
    probe(program, call, elapsed, clock_note=True, start=start).expect(
        judged(check, "exactly one INFO record on the 'timer' logger with the elapsed time"))
    candidate.check(program)


@given(call=st.sampled_from([FIXED["add"], FIXED["collect"], FIXED["method"]]), clock=some_clocks)
def test_timing_uses_perf_counter(candidate, call, clock):
    """Timing uses time.perf_counter, read before and after the call."""
    start, elapsed = clock

    def clock_problem(report):
        readings = report["clock readings"]
        if readings == 0:
            return "time.perf_counter() was never called, so the call was timed with another clock"
        if readings == 1:
            return "time.perf_counter() was called once, expected once before and once after the call"
        for message in on_timer(report, "INFO"):
            number = message.rpartition(" ")[2].rstrip("s")
            try:
                measured = float(number)
            except ValueError:
                continue
            if abs(measured - elapsed) > 0.00006:
                return (f"logged {message!r}, but time.perf_counter() advanced "
                        f"{elapsed:.4f}s during the call")
        return None

    def check(report):
        return led_by_the_call(report, call, clock_problem(report))
    program = Program()
    probe(program, call, elapsed, clock_note=True, start=start).expect(
        judged(check, "the elapsed time measured with time.perf_counter"))
    candidate.check(program)


@given(call=st.sampled_from([FIXED["add"], FIXED["method"], FIXED["fail"]]), clock=classic_clocks, calls=st.just(2))
@example(call=FIXED["fail"], clock=CLASSIC_CLOCKS[3], calls=3)
def test_times_every_call_from_its_own_start(candidate, call, clock, calls):
    """Every call is timed on its own: perf_counter is read just before and just after that call."""
    start, elapsed = clock

    def check(report):
        found = on_timer(report, "INFO")
        expected = [info_text(report, elapsed)] * calls
        if found != expected:
            return led_by_the_call(report, call, f"logged {found!r} at INFO over {calls} calls, "
                                                 f"expected {expected!r} (each call timed from its own start)")
        return None
    program = Program()
    probe(program, call, elapsed, clock_note=True, start=start, calls=calls).expect(
        judged(check, "one INFO record per call, each with that call's elapsed time"))
    candidate.check(program)


# --------------------------------------------------------------------------
# When func raises
# --------------------------------------------------------------------------

@given(call=fail_calls())
def test_reraises_the_very_same_exception(candidate, call):
    """When func raises, the wrapper re-raises the very same exception object (not a new one, not swallowed)."""
    def check(report):
        if "raised" not in report:
            return (f"the wrapper swallowed the ProbeError that fail raised and returned "
                    f"{report.get('returned')!r}, expected it to re-raise that exception")
        raised = report["raised"]
        if not raised["same object"]:
            return (f"the wrapper raised a new exception, {raised['type']}({raised['message']!r}), "
                    f"expected it to re-raise the very ProbeError object that fail raised")
        return None
    program = Program()
    probe(program, call, 0.5).expect(judged(check, "the very same ProbeError object to be re-raised"))
    candidate.check(program)


@given(call=fail_calls())
def test_logs_one_error_record_when_func_raises(candidate, call):
    """When func raises, the wrapper logs one ERROR record f"{func.__name__} failed: {exc}" on the "timer" logger."""
    def check(report):
        return led_by_the_call(report, call, one_record_problem(report, "ERROR", error_text(report, call[3])))
    program = Program()
    probe(program, call, 0.5).expect(
        judged(check, "exactly one ERROR record on the 'timer' logger naming the exception"))
    candidate.check(program)


@given(call=fail_calls(), clock=clocks())
@example(call=FIXED["fail"], clock=CLASSIC_CLOCKS[0])
@example(call=FIXED["fail"], clock=CLASSIC_CLOCKS[2])
def test_still_logs_the_timing_record_when_func_raises(candidate, call, clock):
    """When func raises, the wrapper still logs the INFO timing record, after the ERROR record."""
    start, elapsed = clock

    def check(report):
        problem = one_record_problem(report, "INFO", info_text(report, elapsed))
        if problem:
            return led_by_the_call(report, call, problem)
        levels = [lvl for lvl, logger, _ in report["records"] if logger == "timer" and lvl in ("INFO", "ERROR")]
        if "ERROR" in levels and levels.index("ERROR") > levels.index("INFO"):
            return "logged the INFO timing record before the ERROR record, expected the ERROR record first"
        return None
    program = Program()
    probe(program, call, elapsed, clock_note=True, start=start).expect(
        judged(check, "the INFO timing record on the 'timer' logger, after the ERROR record"))
    candidate.check(program)


# --------------------------------------------------------------------------
# Metadata
# --------------------------------------------------------------------------

@given(call=st.sampled_from(list(FIXED.values())))
def test_preserves_metadata_and_sets_wrapped(candidate, call):
    """The wrapper preserves __name__, __qualname__, __doc__, __module__ and sets __wrapped__, as functools.wraps does."""
    program = Program()
    kind, args, kwargs, extra, shows = call
    function = {"add": "_probe_add", "collect": "_probe_collect", "method": "_Account.deposit",
                "fail": "fail"}[kind]
    program.fixture("timer_probe", kind, args, kwargs, 0.5, *([extra] if kind == "fail" else []),
                    shows=f"wrapper = timer({function})").expect(
        judged(metadata_problem, f"wrapper to look like {function}"))
    candidate.check(program)


# --------------------------------------------------------------------------
# Bonus: async def functions
# --------------------------------------------------------------------------

ASYNC_FUNCTIONS = {"async": "_probe_async_double", "async_method": "_Account.deposit_later",
                   "async_fail": "async_fail"}


def async_double_call(x):
    return "async", [x], {}, 2 * x, f"asyncio.run(timer(_probe_async_double)({x!r}))"


def async_method_call(amount, kwargs):
    shows = ("_Account.timed_deposit = timer(_Account.deposit_later); asyncio.run("
             + _call_text("_Account().timed_deposit", [amount], kwargs) + ")")
    return "async_method", [amount], kwargs, [10 + amount, kwargs.get("note", "")], shows


def async_fail_call(message, args=(1,)):
    args = list(args)
    shows = (f"asyncio.run({_call_text('timer(async_fail)', args, {})})"
             f"  # async_fail raises ProbeError({message!r}) once awaited")
    return "async_fail", args, {}, message, shows


ASYNC_DOUBLE = async_double_call(21)
ASYNC_METHOD = async_method_call(5, {"note": "rent"})
ASYNC_FAIL = async_fail_call("probe failure")
async_returning_calls = st.sampled_from(
    [async_double_call(0), async_double_call(-7), async_double_call(10**6), async_method_call(-3, {}), ASYNC_METHOD])
async_fail_calls = st.sampled_from([ASYNC_FAIL, async_fail_call(""), async_fail_call("naïve ☃", []),
                                    async_fail_call("bad value: 'x'", ["x", 2])])


def coroutine_problem(report):
    if not report["metadata"]["is a coroutine function"]:
        return ("timer(func) of an async def function is not a coroutine function "
                "(define the wrapper with async def and await func in it)")
    if report.get("returned an awaitable"):
        return "awaiting the wrapper gave back func's coroutine un-awaited (the wrapper must await func)"
    return None


@given(call=async_returning_calls, clock=classic_clocks)
@example(call=ASYNC_DOUBLE, clock=CLASSIC_CLOCKS[0])
@example(call=ASYNC_METHOD, clock=CLASSIC_CLOCKS[1])
def test_bonus_async_wrapper_awaits_and_times_the_call(candidate, call, clock):
    """Decorating an async def function returns an async wrapper that times the awaited call."""
    start, elapsed = clock
    expected = call[3]

    def check(report):
        problem = coroutine_problem(report) or outcome_problem(report)
        if problem:
            return f"{problem}, expected it to return {expected!r}" if "raised" in report else problem
        if report.get("returned") != expected or type(report.get("returned")) is not type(expected):
            return f"awaiting the wrapper gave {report.get('returned')!r}, expected {expected!r}"
        early = report["logged before the awaited call finished"]
        if early:
            return f"logged {early[0]!r} before the awaited call finished"
        return one_record_problem(report, "INFO", info_text(report, elapsed))
    program = Program()
    probe(program, call, elapsed, clock_note=True, start=start).expect(
        judged(check, f"the awaited call to return {expected!r} and then log its timing"))
    candidate.check(program)


@given(call=async_fail_calls, clock=classic_clocks)
@example(call=ASYNC_FAIL, clock=CLASSIC_CLOCKS[0])
@example(call=ASYNC_FAIL, clock=CLASSIC_CLOCKS[2])
def test_bonus_async_wrapper_logs_and_reraises_when_the_coroutine_raises(candidate, call, clock):
    """When the awaited coroutine raises, the async wrapper logs one ERROR record, then the INFO timing record, and re-raises the very same exception."""
    start, elapsed = clock
    message = call[3]

    def check(report):
        problem = coroutine_problem(report)
        if problem:
            return problem
        if "raised" not in report:
            return (f"the wrapper swallowed the ProbeError that async_fail raised and awaiting it gave "
                    f"{report.get('returned')!r}, expected it to re-raise that exception")
        raised = report["raised"]
        if not raised["same object"]:
            return (f"the wrapper raised a new exception, {raised['type']}({raised['message']!r}), "
                    f"expected it to re-raise the very ProbeError object that async_fail raised")
        early = report["logged before the awaited call finished"]
        if early:
            return f"logged {early[0]!r} before the awaited call finished"
        problem = (one_record_problem(report, "ERROR", error_text(report, message))
                   or one_record_problem(report, "INFO", info_text(report, elapsed)))
        if problem:
            return problem
        levels = [lvl for lvl, logger, _ in report["records"] if logger == "timer" and lvl in ("INFO", "ERROR")]
        if levels.index("ERROR") > levels.index("INFO"):
            return "logged the INFO timing record before the ERROR record, expected the ERROR record first"
        return None
    program = Program()
    probe(program, call, elapsed, clock_note=True, start=start).expect(
        judged(check, "one ERROR record, then the INFO timing record, and the very same ProbeError re-raised"))
    candidate.check(program)


@given(call=st.sampled_from([ASYNC_DOUBLE, ASYNC_METHOD, ASYNC_FAIL]))
def test_bonus_async_wrapper_preserves_metadata_and_sets_wrapped(candidate, call):
    """The async wrapper preserves __name__, __qualname__, __doc__, __module__ and sets __wrapped__, as functools.wraps does."""
    def check(report):
        if not report["metadata"]["is a coroutine function"]:
            return coroutine_problem(report)
        return metadata_problem(report)
    program = Program()
    kind, args, kwargs, extra, _ = call
    function = ASYNC_FUNCTIONS[kind]
    program.fixture("timer_probe", kind, args, kwargs, 0.5, *([extra] if kind == "async_fail" else []),
                    shows=f"wrapper = timer({function})").expect(
        judged(check, f"wrapper to look like {function}"))
    candidate.check(program)
