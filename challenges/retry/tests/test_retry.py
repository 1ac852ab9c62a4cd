"""Hidden tests for retry: every sentence of the contract, against a model.

Each program builds, inside the sandbox (``sandbox_fixtures.py``), a fake
``sleep`` that records its calls and never sleeps, and a flaky function
``fetch`` that follows a script (raise this exception on call 1, return that
value on call 3, ...). It decorates ``fetch`` with the submission's
``retry(...)``, calls the result once (or more), and reads back what
happened: the calls ``fetch`` received, the calls ``sleep`` received (and
those of ``time.sleep`` and ``asyncio.sleep``, which record instead of
sleeping during a test), and what the call returned or raised, with the
index of the ``fetch`` call whose very exception object it was. The model
below decides every expectation; the checks say in words what is wrong.

Scripts are built on purpose: k matching failures then a success, failures
on every attempt, k failures then an exception outside ``exceptions``; the
classic mistakes (a sleep after the last attempt, the exponent off by one,
max_delay ignored, a retried foreign exception, a new exception raised) are
``@example``s, tried under every seed.
"""

import math

from hypothesis import example, given, strategies as st

from grader.agent.agent import Ref
from grader.harness.program import Program, Raises, Satisfies


class TransientError(Exception):
    """The sandbox's TransientError, on the host."""


class FatalError(Exception):
    """The sandbox's FatalError, on the host."""


class Interrupt(BaseException):
    """The sandbox's Interrupt (a BaseException, not an Exception), on the host."""


CLASSES = {cls.__name__: cls for cls in (
    TransientError, FatalError, Interrupt, ValueError, KeyError, LookupError, OSError, ConnectionError,
    TimeoutError, RuntimeError, ZeroDivisionError, Exception)}
RAISED = [name for name in CLASSES if name != "Exception"]     # what fetch may raise

# The ``exceptions`` argument: left out (the default, (Exception,)), one class, or a tuple.
EXCEPTION_SPECS = [None, "TransientError", "OSError", "LookupError", ["TransientError", "KeyError"],
                   ["ConnectionError", "TimeoutError"], ["Exception"], ["ValueError", "OSError", "FatalError"]]
RETURNS = [42, "ok", None, [1, 2], 0, "", True, 3.5]

DEFAULTS = {"attempts": 3, "base_delay": 0.1, "factor": 2.0, "max_delay": None, "exceptions": ["Exception"]}


def retried(name, spec):
    """Whether an exception of class ``name`` is an instance of ``spec``."""
    names = DEFAULTS["exceptions"] if spec is None else spec
    names = names if isinstance(names, list) else [names]
    return issubclass(CLASSES[name], tuple(CLASSES[n] for n in names))


def settings(options):
    merged = dict(DEFAULTS)
    merged.update(options)
    if "exceptions" in options and options["exceptions"] is None:
        merged["exceptions"] = DEFAULTS["exceptions"]
    return merged


def delay(options, k):
    """The model's wait after the k-th failure."""
    o = settings(options)
    wait = o["base_delay"] * o["factor"] ** (k - 1)
    return wait if o["max_delay"] is None else min(wait, o["max_delay"])


def model(options, script):
    """What retry(**options)(fetch)() must do: {"calls": n, "sleeps": [...],
    and "returned": call index or "raised": call index}."""
    o = settings(options)
    sleeps = []
    for index in range(o["attempts"]):
        outcome = script[index]
        if outcome[0] == "return":
            return {"calls": index + 1, "sleeps": sleeps, "returned": index}
        if not retried(outcome[1], o["exceptions"]) or index == o["attempts"] - 1:
            return {"calls": index + 1, "sleeps": sleeps, "raised": index}
        sleeps.append(delay(options, index + 1))
    raise AssertionError("unreachable")


# --------------------------------------------------------------------------
# Scenarios
# --------------------------------------------------------------------------

def failure(name, index):
    return ["raise", name, f"failure {index + 1}"]


# Strategies built once: drawing from a new sampled_from costs its validation every time (a third of this
# file's time in `grader test`); the draws are the same.
ATTEMPTS = st.integers(1, 6)
SPECS = st.sampled_from(EXCEPTION_SPECS)
SHAPES = st.sampled_from(["succeeds", "fails", "foreign"])
RETURNED = st.sampled_from(RETURNS)
BASE_DELAYS = st.sampled_from([0, 0.01, 0.1, 0.25, 1, 2, 3.5])
FACTORS = st.sampled_from([1, 1.5, 2, 2.0, 3, 10])
MAX_DELAYS = st.sampled_from([None, None, 0, 0.05, 0.5, 2, 60])
_BY_SPEC = {}       # repr(spec) -> (a raised class that spec retries, one it does not)


def raised_for(spec):
    """Strategies for the names of the classes ``spec`` retries and of those it does not."""
    key = repr(spec)
    if key not in _BY_SPEC:
        _BY_SPEC[key] = (st.sampled_from([n for n in RAISED if retried(n, spec)]),
                         st.sampled_from([n for n in RAISED if not retried(n, spec)]))
    return _BY_SPEC[key]


@st.composite
def scenarios(draw, shape=None, spec=None, attempts=None):
    """(options, script): retry's keyword arguments (sleep aside) and fetch's
    script, one entry per call plus one past the last attempt."""
    attempts = draw(ATTEMPTS) if attempts is None else attempts
    spec = draw(SPECS) if spec is None else spec
    matching, foreign = raised_for(spec)
    shape = draw(SHAPES) if shape is None else shape
    k = draw(st.integers(0, attempts - 1))
    script = [failure(draw(matching), i) for i in range(k)]
    if shape == "succeeds":
        script.append(["return", draw(RETURNED)])
    elif shape == "fails":
        script += [failure(draw(matching), i) for i in range(k, attempts)]
    else:
        script.append(failure(draw(foreign), k))
    while len(script) <= attempts:      # past the model's last call: a call here is a mistake
        script.append(["return", "an extra call"] if draw(st.booleans())
                      else failure(draw(matching), len(script)))
    options = {}
    if draw(st.booleans()) or attempts != 3:
        options["attempts"] = attempts
    options["base_delay"] = draw(BASE_DELAYS)
    options["factor"] = draw(FACTORS)
    max_delay = draw(MAX_DELAYS)
    if max_delay is not None or draw(st.booleans()):
        options["max_delay"] = max_delay
    if spec is not None:
        options["exceptions"] = spec
    return options, script


call_args = st.sampled_from([([], {}), ([1], {}), (["x", 2], {"key": 3}), ([], {"retries": "no"}),
                             ([[1, 2]], {"a": None})])


def _script_text(script):
    parts = []
    for outcome in script:
        parts.append(f"raise {outcome[1]}({outcome[2]!r})" if outcome[0] == "raise" else f"return {outcome[1]!r}")
    return "[" + ", ".join(parts) + "]"


def _exceptions_text(spec):
    return spec if isinstance(spec, str) else "(" + ", ".join(spec) + ("," if len(spec) == 1 else "") + ")"


def _options_text(options, sleep):
    parts = [f"{k}={_exceptions_text(v) if k == 'exceptions' else repr(v)}" for k, v in options.items()]
    if sleep:
        parts.append("sleep=sleep")
    return ", ".join(parts)


def _call_text(args, kwargs):
    return ", ".join([repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()])


def build(program, options, script, kind="function", sleep=True):
    """The sandbox's fake sleep and flaky fetch, decorated: ``wrapped``."""
    program.fixture("record_sleeps", shows="")
    if sleep:
        program.fixture("fake_sleep", name="sleep", shows="sleep = FakeSleep()  # records each call, never sleeps")
    program.fixture("flaky", script, kind, name="fetch",
                    shows=f"fetch = flaky({_script_text(script)})  # call i does entry i")
    if kind in ("method", "async_method"):
        shows = f"Service.fetch = retry({_options_text(options, sleep)})(Service.fetch)"
    else:
        shows = f"wrapped = retry({_options_text(options, sleep)})(fetch)"
    program.fixture("decorate", Ref("fetch"), options, Ref("sleep") if sleep else None, name="wrapped",
                    shows=shows)


def invoke(program, args, kwargs, kind="function"):
    if kind in ("method", "async_method"):
        shows = f"Service().fetch({_call_text(args, kwargs)})"
    else:
        shows = f"wrapped({_call_text(args, kwargs)})"
    if kind.startswith("async"):
        shows = f"asyncio.run({shows})"
    return program.fixture("invoke", Ref("fetch"), args, kwargs, shows=shows)


def sleeps(program, sleep=True):
    return program.fixture("sleep_calls", Ref("sleep") if sleep else None,
                           shows="the calls sleep received" if sleep else "the calls time.sleep received")


def judged(check, description):
    return Satisfies(check, description, show_value=False)


def guarded(check):
    """A check of a report from the sandbox, which may be anything: a
    malformed one fails with a message instead of an error in the grader."""
    def run(report):
        try:
            return check(report)
        except (KeyError, IndexError, TypeError, ValueError, AttributeError):
            return f"the report does not have the expected shape ({str(report)[:200]})"
    return run


# --------------------------------------------------------------------------
# Reading the reports
# --------------------------------------------------------------------------

def outcome_text(report):
    if "raised" in report:
        raised = report["raised"]
        return f"raised {raised['type']}({raised['message']!r})"
    return f"returned {report['returned']!r}"


def outcome_problem(report, script, expected):
    """None when the call returned fetch's successful result unchanged, or
    re-raised the very exception object of the model's last call."""
    if "returned" in expected:
        index = expected["returned"]
        want = script[index][1]
        if "raised" in report:
            return f"the decorated function {outcome_text(report)}, expected it to return {want!r} (fetch's result on call {index + 1})"
        if report.get("returned an awaitable"):
            return "the decorated function returned an awaitable instead of fetch's result"
        if report["returned"] != want or type(report["returned"]) is not type(want) or index not in report["same object"]:
            return (f"the decorated function returned {report['returned']!r}, expected fetch's result on call "
                    f"{index + 1} unchanged: {want!r}")
        return None
    index = expected["raised"]
    outcome = script[index]
    want = f"{outcome[1]}({outcome[2]!r})"
    if "raised" not in report:
        return f"the decorated function {outcome_text(report)}, expected it to re-raise fetch's {want} from call {index + 1}"
    raised = report["raised"]
    if raised["call"] != index:
        if raised["call"] is None:
            return (f"the decorated function raised {raised['type']}({raised['message']!r}), not the very exception "
                    f"object fetch raised: expected fetch's {want} from call {index + 1} itself (a bare `raise`)")
        return (f"the decorated function re-raised fetch's exception from call {raised['call'] + 1}, expected "
                f"the one from call {index + 1}: {want}")
    return None


def calls_problem(report, expected, args, kwargs):
    calls = report["calls"]
    if len(calls) != expected["calls"]:
        return f"fetch was called {len(calls)} time(s), expected {expected['calls']}"
    for number, call in enumerate(calls, 1):
        if call[0] != args or call[1] != kwargs:
            return (f"call {number} of fetch received ({_call_text(call[0], call[1])}), "
                    f"expected the same arguments: ({_call_text(args, kwargs)})")
    return None


def _number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _delays_text(delays):
    return "[" + ", ".join(repr(d) for d in delays) + "]"


def sleeps_problem(record, want, through="sleep"):
    """None when ``through`` received exactly the delays ``want``, one
    positional number per call, and no other sleep was called."""
    for other in ("sleep", "time.sleep", "asyncio.sleep"):
        if other != through and record[other]:
            calls = ", ".join(f"{other}({_call_text(a, k)})" for a, k in record[other][:5])
            return f"{calls} was called, expected {_delays_text(want)} through {through}"
    delays = []
    for args, kwargs in record[through]:
        if kwargs or len(args) != 1 or not _number(args[0]):
            return f"{through} was called as {through}({_call_text(args, kwargs)}), expected {through}(delay)"
        delays.append(args[0])
    if len(delays) != len(want) or not all(math.isclose(got, w, rel_tol=1e-9, abs_tol=1e-12)
                                           for got, w in zip(delays, want)):
        return f"{through} was called with the delays {_delays_text(delays)}, expected {_delays_text(want)}"
    return None


def why_sleeps(options, script, expected):
    """A short account of the expected delays, for a sleep mismatch."""
    o = settings(options)
    text = f"after failure k it waits base_delay * factor ** (k - 1) = {o['base_delay']!r} * {o['factor']!r} ** (k - 1)"
    if o["max_delay"] is not None:
        text += f", capped at max_delay={o['max_delay']!r}"
    if "raised" in expected and expected["calls"] == o["attempts"]:
        text += "; no sleep follows the last attempt"
    return text


def expect_everything(program, options, script, args, kwargs, kind="function", through="sleep"):
    """The whole run judged against the model: calls, outcome, sleeps."""
    expected = model(options, script)
    invoke(program, args, kwargs, kind).expect(judged(guarded(
        lambda r: calls_problem(r, expected, args, kwargs) or outcome_problem(r, script, expected)),
        "the model's calls and outcome"))
    sleeps(program, through == "sleep" or kind.startswith("async")).expect(judged(guarded(
        lambda r: (lambda p: f"{p} ({why_sleeps(options, script, expected)})" if p else None)(
            sleeps_problem(r, expected["sleeps"], through))), "the model's delays"))


# --------------------------------------------------------------------------
# The decorator
# --------------------------------------------------------------------------

@example(script=[failure("RuntimeError", 0), failure("TransientError", 1), ["return", 7], ["return", "an extra call"]])
@example(script=[failure("ValueError", 0), failure("KeyError", 1), failure("OSError", 2), ["return", "an extra call"]])
@example(script=[["return", "first"], ["return", "an extra call"]])
@example(script=[failure("Interrupt", 0), ["return", "an extra call"]])
@given(script=st.lists(st.one_of(st.sampled_from(RETURNS).map(lambda v: ["return", v]),
                                 st.sampled_from(RAISED).map(lambda n: ["raise", n, "boom"])),
                       min_size=4, max_size=4).map(lambda s: [o if o[0] == "return" else failure(o[1], i)
                                                              for i, o in enumerate(s)]))
def test_retry_with_no_arguments_uses_the_defaults(candidate, script):
    """retry(...) returns a decorator, used as @retry(...) (with parentheses, even with no arguments)."""
    program = Program()
    build(program, {}, script, sleep=False)
    expect_everything(program, {}, script, [], {}, through="time.sleep")
    candidate.check(program)


@example(args=["x", 2], kwargs={"key": 3})
@given(args=st.lists(st.sampled_from([0, "a", None, [1], 2.5]), max_size=3),
       kwargs=st.dictionaries(st.sampled_from(["a", "key", "sleep", "attempts"]), st.sampled_from([0, "b", None]),
                              max_size=2))
def test_calls_the_original_with_the_same_arguments(candidate, args, kwargs):
    """The decorated function calls the original with the same arguments."""
    options = {"attempts": 3, "base_delay": 0}
    script = [failure("TransientError", 0), failure("TransientError", 1), ["return", 1], ["return", "an extra call"]]
    expected = model(options, script)
    program = Program()
    build(program, options, script)
    invoke(program, args, kwargs).expect(judged(guarded(lambda r: calls_problem(r, expected, args, kwargs)),
                                                "fetch called three times with the same arguments"))
    candidate.check(program)


# The classic mistakes, under every seed: the exponent off by one
# (base * factor ** k), a delay that is not capped, a sleep after the last attempt.
@example(scenario=({"attempts": 4, "base_delay": 1, "factor": 2}, [failure("TransientError", i) for i in range(5)]))
@example(scenario=({"attempts": 3, "base_delay": 0.5, "factor": 3, "exceptions": "OSError"},
                   [failure("ConnectionError", 0), failure("TimeoutError", 1), ["return", "done"],
                    ["return", "an extra call"]]))
@given(scenario=scenarios())
def test_waits_base_delay_times_factor_to_the_k_minus_one(candidate, scenario):
    """After each failure it waits delay = base_delay * factor ** (k - 1) seconds by calling sleep(delay) (k = 1 after the first failure, 2 after the second, ...), then calls again."""
    options, script = scenario
    program = Program()
    build(program, options, script)
    expect_everything(program, options, script, [1], {})
    candidate.check(program)


@example(scenario=({"attempts": 5, "base_delay": 1, "factor": 3, "max_delay": 5}, [failure("KeyError", i) for i in range(6)]))
@example(scenario=({"attempts": 3, "base_delay": 2, "factor": 2, "max_delay": 0}, [failure("KeyError", i) for i in range(4)]))
@given(scenario=scenarios(shape="fails").filter(lambda s: s[0].get("max_delay") is not None))
def test_caps_the_delay_at_max_delay(candidate, scenario):
    """The delay is capped at max_delay when that is not None."""
    options, script = scenario
    program = Program()
    build(program, options, script)
    expect_everything(program, options, script, [], {})
    candidate.check(program)


@example(scenario=({"attempts": 4, "base_delay": 0.1, "exceptions": "LookupError"},
                   [failure("KeyError", 0), failure("KeyError", 1), ["return", 5], ["return", "an extra call"],
                    ["return", "an extra call"]]))
@example(scenario=({"attempts": 3, "base_delay": 0.1, "exceptions": ["ConnectionError", "TimeoutError"]},
                   [failure("TimeoutError", 0), ["return", "up"], ["return", "an extra call"], ["return", "an extra call"]]))
@given(scenario=scenarios(shape="succeeds"))
def test_retries_instances_of_exceptions(candidate, scenario):
    """When the call raises an exception that is an instance of exceptions (a class or a tuple of classes), it calls again."""
    options, script = scenario
    program = Program()
    build(program, options, script)
    expect_everything(program, options, script, [], {"id": 1})
    candidate.check(program)


@example(scenario=({"attempts": 3, "base_delay": 0.1}, [failure("TransientError", i) for i in range(3)]
                   + [["return", "an extra call"]]))
@example(scenario=({"attempts": 1, "base_delay": 0.1}, [failure("TransientError", 0), ["return", "an extra call"]]))
@given(scenario=scenarios(shape="fails"))
def test_makes_at_most_attempts_calls(candidate, scenario):
    """It calls the function up to attempts calls in all."""
    options, script = scenario
    expected = model(options, script)
    program = Program()
    build(program, options, script)
    invoke(program, [], {}).expect(judged(guarded(lambda r: calls_problem(r, expected, [], {})),
                                          f"{expected['calls']} calls"))
    candidate.check(program)


@example(scenario=({"attempts": 3, "base_delay": 0}, [failure("TransientError", 0), ["return", [1, 2]],
                                                      ["return", "an extra call"], ["return", "an extra call"]]))
@example(scenario=({"attempts": 2, "base_delay": 0}, [["return", None], ["return", "an extra call"],
                                                      ["return", "an extra call"]]))
@given(scenario=scenarios(shape="succeeds"))
def test_returns_the_first_successful_result_unchanged(candidate, scenario):
    """It returns the first successful result unchanged."""
    options, script = scenario
    expected = model(options, script)
    program = Program()
    build(program, options, script)
    invoke(program, [], {}).expect(judged(guarded(lambda r: outcome_problem(r, script, expected)),
                                          "fetch's first successful result"))
    candidate.check(program)


@example(scenario=({"attempts": 3, "base_delay": 0}, [failure("ValueError", 0), failure("KeyError", 1),
                                                      failure("TransientError", 2), ["return", "an extra call"]]))
@given(scenario=scenarios(shape="fails"))
def test_reraises_the_last_exception_object_itself(candidate, scenario):
    """After the last attempt fails it re-raises that last exception object itself."""
    options, script = scenario
    expected = model(options, script)
    program = Program()
    build(program, options, script)
    invoke(program, [], {}).expect(judged(guarded(lambda r: outcome_problem(r, script, expected)),
                                          "fetch's last exception object"))
    candidate.check(program)


@example(scenario=({"attempts": 3, "base_delay": 1, "exceptions": "TransientError"},
                   [failure("TransientError", 0), failure("FatalError", 1), ["return", "an extra call"],
                    ["return", "an extra call"]]))
@example(scenario=({"attempts": 3, "base_delay": 1, "exceptions": "OSError"},
                   [failure("ValueError", 0), ["return", "an extra call"], ["return", "an extra call"],
                    ["return", "an extra call"]]))
@example(scenario=({"attempts": 2, "base_delay": 1},
                   [failure("Interrupt", 0), ["return", "an extra call"], ["return", "an extra call"]]))
@given(scenario=scenarios(shape="foreign"))
def test_other_exceptions_propagate_at_once(candidate, scenario):
    """An exception that is not an instance of exceptions propagates at once, with no sleep and no further attempt."""
    options, script = scenario
    program = Program()
    build(program, options, script)
    expect_everything(program, options, script, [], {})
    candidate.check(program)


@example(scenario=({"attempts": 2, "base_delay": 1}, [failure("TransientError", 0), failure("TransientError", 1),
                                                      ["return", "an extra call"]]))
@example(scenario=({"attempts": 1, "base_delay": 1}, [failure("TransientError", 0), ["return", "an extra call"]]))
@given(scenario=scenarios(shape="fails"))
def test_no_sleep_follows_the_last_attempt(candidate, scenario):
    """No sleep follows the last attempt."""
    options, script = scenario
    expected = model(options, script)
    program = Program()
    build(program, options, script)
    invoke(program, [], {})
    sleeps(program).expect(judged(guarded(lambda r: (
        None if len(r["sleep"]) <= len(expected["sleeps"]) else
        f"sleep was called {len(r['sleep'])} time(s) for {expected['calls']} failed attempts, expected "
        f"{len(expected['sleeps'])}: no sleep follows the last attempt")), "no sleep after the last attempt"))
    candidate.check(program)


@example(calls=3)
@given(calls=st.integers(2, 4))
def test_every_call_of_the_decorated_function_gets_all_its_attempts(candidate, calls):
    """Up to attempts calls in all, for each call of the decorated function."""
    options = {"attempts": 3, "base_delay": 1}
    script = []
    for number in range(calls):
        script += [failure("TransientError", 3 * number), failure("TransientError", 3 * number + 1),
                   ["return", f"ok {number + 1}"]]
    script.append(["return", "an extra call"])
    program = Program()
    build(program, options, script)
    for number in range(calls):
        part = script[3 * number:3 * number + 3] + [["return", "an extra call"]]
        expected = model(options, part)
        invoke(program, [number], {}).expect(judged(guarded(
            lambda r, part=part, expected=expected, number=number:
                calls_problem(r, expected, [number], {}) or outcome_problem(r, part, expected)),
            "three calls and fetch's result"))
    sleeps(program).expect(judged(guarded(lambda r: sleeps_problem(r, [1, 2] * calls)), "1 and 2 per call"))
    candidate.check(program)


# --------------------------------------------------------------------------
# Arguments
# --------------------------------------------------------------------------

BAD = [{"attempts": 0}, {"attempts": -1}, {"base_delay": -0.1}, {"base_delay": -1e-9}, {"factor": 0.999},
       {"factor": 0.5}, {"factor": 0}, {"max_delay": -0.001}, {"max_delay": -5}]
GOOD = [{"attempts": 2}, {"base_delay": 0.5}, {"factor": 1.5}, {"max_delay": None}, {}]


@example(bad={"attempts": 0}, other={})
@example(bad={"base_delay": -0.1}, other={})
@example(bad={"factor": 0.5}, other={})
@example(bad={"max_delay": -0.001}, other={})
@given(bad=st.sampled_from(BAD), other=st.sampled_from(GOOD))
def test_bad_arguments_raise_value_error(candidate, bad, other):
    """ValueError (raised by retry(...) itself) when attempts < 1, base_delay < 0, factor < 1, or max_delay < 0."""
    kwargs = dict(other)
    kwargs.update(bad)
    program = Program()
    program.call("retry", **kwargs).expect(Raises(ValueError))
    candidate.check(program)


@example(options={"attempts": 1, "base_delay": 0, "factor": 1, "max_delay": 0})
@example(options={"attempts": 2, "base_delay": 0, "factor": 1})
@given(options=st.fixed_dictionaries({}, optional={"attempts": st.sampled_from([1, 2]),
                                                   "base_delay": st.sampled_from([0, 0.0]),
                                                   "factor": st.sampled_from([1, 1.0]),
                                                   "max_delay": st.sampled_from([0, 0.0, None])}))
def test_boundary_arguments_are_accepted(candidate, options):
    """ValueError only when attempts < 1, base_delay < 0, factor < 1, or max_delay < 0: attempts = 1, base_delay = 0, factor = 1 and max_delay = 0 are fine."""
    script = [failure("TransientError", 0), ["return", "ok"], ["return", "an extra call"]]
    program = Program()
    build(program, options, script)
    expect_everything(program, options, script, [], {})
    candidate.check(program)


# --------------------------------------------------------------------------
# The wrapper
# --------------------------------------------------------------------------

def metadata_problem(report, coroutine=None):
    for attribute in ("__name__", "__qualname__", "__doc__", "__module__"):
        got, want = report["wrapper"][attribute], report["function"][attribute]
        if got != want:
            return (f"the wrapper did not keep the function's {attribute} ({got!r} instead of {want!r}); "
                    f"functools.wraps(func) copies it")
    if not report["wraps the function"]:
        return "the wrapper's __wrapped__ is not the decorated function (functools.wraps(func) sets it)"
    if coroutine is not None and report["is a coroutine function"] is not coroutine:
        return ("the wrapper of an async def function is not itself an async def function"
                if coroutine else "the wrapper of a plain function is a coroutine function")
    return None


@given(kind=st.sampled_from(["function", "method"]))
def test_preserves_metadata_and_sets_wrapped(candidate, kind):
    """The wrapper preserves __name__, __qualname__, __doc__, __module__ and sets __wrapped__."""
    program = Program()
    build(program, {"attempts": 2}, [["return", 1]], kind=kind)
    program.fixture("metadata", Ref("fetch"), shows="wrapped.__name__, .__qualname__, .__doc__, .__module__, "
                    ".__wrapped__").expect(judged(guarded(metadata_problem), "fetch's metadata"))
    candidate.check(program)


@example(scenario=({"attempts": 3, "base_delay": 0.5}, [failure("TransientError", 0), ["return", 9],
                                                        ["return", "an extra call"], ["return", "an extra call"]]))
@given(scenario=scenarios())
def test_works_on_methods(candidate, scenario):
    """It works on plain functions and methods."""
    options, script = scenario
    expected = model(options, script)
    program = Program()
    build(program, options, script, kind="method")

    def problem(report):
        for call in report["calls"]:
            if call[2] is not True:
                return "the method did not receive its instance as self"
        return calls_problem(report, expected, [4], {"note": "x"}) or outcome_problem(report, script, expected)

    invoke(program, [4], {"note": "x"}, kind="method").expect(judged(guarded(problem), "the model's run"))
    candidate.check(program)


# --------------------------------------------------------------------------
# Bonus: async def functions
# --------------------------------------------------------------------------

@given(kind=st.sampled_from(["async", "async_method"]))
def test_bonus_async_wrapper_is_async_and_keeps_metadata(candidate, kind):
    """Bonus: decorating an async def function returns an async wrapper (keeping the same metadata)."""
    program = Program()
    build(program, {"attempts": 2}, [["return", 1]], kind=kind)
    program.fixture("metadata", Ref("fetch"), shows="wrapped.__name__, ..., inspect.iscoroutinefunction(wrapped)"
                    ).expect(judged(guarded(lambda r: metadata_problem(r, coroutine=True)), "an async wrapper"))
    candidate.check(program)


@example(scenario=({"attempts": 4, "base_delay": 1, "factor": 2, "max_delay": 3},
                   [failure("TransientError", i) for i in range(5)]), kind="async")
@example(scenario=({"attempts": 3, "base_delay": 0.5, "exceptions": "OSError"},
                   [failure("ConnectionError", 0), ["return", "up"], ["return", "an extra call"],
                    ["return", "an extra call"]]), kind="async_method")
@example(scenario=({"attempts": 3, "base_delay": 0.5, "exceptions": "OSError"},
                   [failure("KeyError", 0), ["return", "an extra call"], ["return", "an extra call"],
                    ["return", "an extra call"]]), kind="async")
@given(scenario=scenarios(), kind=st.sampled_from(["async", "async_method"]))
def test_bonus_async_wrapper_awaits_asyncio_sleep(candidate, scenario, kind):
    """Bonus: the async wrapper awaits asyncio.sleep(delay) instead of calling sleep, and keeps every other rule (same arguments, result unchanged, the last exception object itself, other exceptions at once)."""
    options, script = scenario
    program = Program()
    build(program, options, script, kind=kind)
    expected = model(options, script)

    def problem(report):
        if report.get("not awaitable"):
            return "calling the wrapper of an async def function did not return an awaitable"
        if kind == "async_method":
            for call in report["calls"]:
                if call[2] is not True:
                    return "the method did not receive its instance as self"
        return calls_problem(report, expected, [2], {}) or outcome_problem(report, script, expected)

    invoke(program, [2], {}, kind=kind).expect(judged(guarded(problem), "the model's run"))
    sleeps(program).expect(judged(guarded(
        lambda r: (lambda p: f"{p} ({why_sleeps(options, script, expected)})" if p else None)(
            sleeps_problem(r, expected["sleeps"], "asyncio.sleep"))), "the model's delays through asyncio.sleep"))
    candidate.check(program)
