"""What hidden tests write: programs of calls, each with what it must do.

A hidden test builds a ``Program`` (the calls a candidate would type, with an
expectation on each), hands it to the ``candidate`` fixture, and the whole
program crosses into the sandbox in one round trip. The first call whose
outcome misses its expectation becomes a ``Mismatch`` whose message is the
readable transcript, e.g.::

    c = LRUCache(2); c.put(1, 1); c.get(1) -> 1; c.get(2) -> returned 2, expected -1

Everything here runs on the host; expectations compare decoded plain data.
"""

from __future__ import annotations

import reprlib

from grader.agent.agent import Opaque, encode
from grader.constants import MAX_COUNTEREXAMPLE_CHARS, MAX_SHOWN_CHARS

_CONTAINERS = (list, tuple, dict, set, frozenset)


class _BoundedRepr(reprlib.Repr):
    """reprlib's repr with two more bounds: a container met again inside
    itself is shown as ``[...]`` (like Python's own repr), and every piece
    costs from one character budget, so a small value whose parts are
    shared many times cannot expand into megabytes."""

    def __init__(self, budget: int):
        super().__init__()
        self.maxlevel = 12
        self.maxlist = self.maxtuple = self.maxset = self.maxfrozenset = self.maxdict = 40
        self.maxstring = self.maxother = 300
        self.maxlong = 200
        self.budget = budget
        self._open: set[int] = set()

    def repr1(self, x, level):
        if self.budget <= 0:
            return self.fillvalue
        if not isinstance(x, _CONTAINERS):
            text = super().repr1(x, level)
            self.budget -= len(text)
            return text
        if id(x) in self._open:
            return "[...]" if isinstance(x, list) else "{...}" if isinstance(x, (dict, set)) else "(...)"
        self.budget -= 2
        self._open.add(id(x))
        try:
            return super().repr1(x, level)
        finally:
            self._open.discard(id(x))

    def repr_ListSubclass(self, x, level):
        return "ListSubclass(%s)" % self.repr_list(x, level)

    def repr_int(self, x, level):
        try:
            return super().repr_int(x, level)
        except ValueError:       # more digits than int -> str allows
            return f"<an int of {x.bit_length():,} bits>"


def show(value, limit: int = MAX_SHOWN_CHARS) -> str:
    """A bounded repr, safe for any depth, cycles and shared parts."""
    text = _BoundedRepr(limit).repr(value)
    return text if len(text) <= limit + 3 else text[:limit] + "..."


# --------------------------------------------------------------------------
# Outcomes: what one call did in the sandbox
# --------------------------------------------------------------------------

class Raised:
    """An exception the submission raised, as facts (never the object)."""

    def __init__(self, facts: dict):
        self.type_name = facts.get("type", "?")
        self.mro = facts.get("mro", [])
        self.message = facts.get("message", "")
        self.where = facts.get("where")

    def is_a(self, exc_type: type) -> bool:
        """True when the raised type is ``exc_type`` or a subclass of it."""
        return f"{exc_type.__module__}.{exc_type.__qualname__}" in self.mro

    @property
    def is_memory_error(self) -> bool:
        return "builtins.MemoryError" in self.mro

    def __str__(self) -> str:
        text = f"{self.type_name}({self.message!r})" if self.message else self.type_name
        if self.where and self.where.get("line"):
            text += f" at {self.where.get('file')} line {self.where['line']}"
        return text


class Outcome:
    """The result of one step: a value, an exception, or an unreadable value."""

    def __init__(self, value=None, raised: Raised | None = None, unreadable: str | None = None,
                 args_after=None, args_unreadable: str | None = None):
        self.value = value
        self.raised = raised
        self.unreadable = unreadable
        self.args_after = args_after
        self.args_unreadable = args_unreadable

    def describe(self) -> str:
        if self.raised is not None:
            return f"raised {self.raised}"
        if self.unreadable is not None:
            return f"returned a value that {self.unreadable}"
        return f"returned {show(self.value)}"


# --------------------------------------------------------------------------
# Expectations
# --------------------------------------------------------------------------

class Expectation:
    """Judges an outcome; ``problem`` returns None when it is met."""

    shows_result = True

    def problem(self, outcome: Outcome) -> str | None:
        raise NotImplementedError

    def expected(self) -> str:
        raise NotImplementedError


class NoError(Expectation):
    """Any return value is fine, as long as nothing is raised."""

    shows_result = False

    def problem(self, outcome):
        if outcome.raised is not None:
            return f"raised {outcome.raised}, expected no exception"
        return None

    def expected(self):
        return "no exception"


def _value_problem(outcome: Outcome) -> str | None:
    if outcome.raised is not None:
        return f"raised {outcome.raised}"
    if outcome.unreadable is not None:
        return f"returned a value that {outcome.unreadable}"
    return None


def _opaque_inside(value) -> Opaque | None:
    stack, seen = [value], set()
    while stack:
        item = stack.pop()
        if isinstance(item, Opaque):
            return item
        if isinstance(item, _CONTAINERS):
            if id(item) in seen:      # a value may contain itself
                continue
            seen.add(id(item))
        if isinstance(item, (list, tuple, set, frozenset)):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
    return None


class Returns(Expectation):
    """Returns exactly this value: same types (``True`` is not ``1``, a tuple
    is not a list), same contents."""

    def __init__(self, value):
        self.value = value

    def problem(self, outcome):
        early = _value_problem(outcome)
        if early:
            return f"{early}, expected {self.expected()}"
        if not same(outcome.value, self.value):
            opaque = _opaque_inside(outcome.value)
            if opaque is not None:
                return (f"returned {show(outcome.value)}, expected {self.expected()} "
                        f"(a {opaque.type_name} object is not plain data)")
            return f"returned {show(outcome.value)}, expected {self.expected()}"
        return None

    def expected(self):
        return show(self.value)


class Raises(Expectation):
    """Raises this exception type (a subclass is accepted)."""

    def __init__(self, exc_type: type):
        self.exc_type = exc_type

    def problem(self, outcome):
        if outcome.raised is None:
            got = outcome.describe()
            return f"{got}, expected {self.expected()}"
        if not outcome.raised.is_a(self.exc_type):
            return f"raised {outcome.raised}, expected {self.expected()}"
        return None

    def expected(self):
        return f"{self.exc_type.__name__} to be raised"


class Satisfies(Expectation):
    """Returns a value for which ``check(value)`` gives None (or True);
    a string from ``check`` says what is wrong with it."""

    def __init__(self, check, description: str, *, show_value: bool = True):
        """``show_value=False`` leaves the returned value out of the message
        (for fixture reports, where the check's reason says it all)."""
        self.check = check
        self.description = description
        self.show_value = show_value

    def problem(self, outcome):
        early = _value_problem(outcome)
        if early:
            return f"{early}, expected {self.description}"
        verdict = self.check(outcome.value)
        if verdict is None or verdict is True:
            return None
        if not self.show_value:
            return self.description if verdict is False else str(verdict)
        reason = "" if verdict is False else f"; {verdict}"
        return f"returned {show(outcome.value)}, expected {self.description}{reason}"

    def expected(self):
        return self.description


# --------------------------------------------------------------------------
# Programs
# --------------------------------------------------------------------------

class Step:
    """One call: a function of the module, a class to construct, or a method."""

    def __init__(self, name: str, args: tuple, kwargs: dict, *, target: "Handle | None" = None,
                 bind: str | None = None, fixture: bool = False, shows: str | None = None):
        self.name = name
        self.fixture = fixture
        self.shows = shows
        self.args = args
        self.kwargs = kwargs
        self.target = target
        self.bind = bind
        self.expectation: Expectation = NoError()
        self.args_must_stay = False
        self.sentence: str | None = None

    def expect(self, expectation) -> "Step":
        """What the call must do: an ``Expectation``, or a value it must return."""
        self.expectation = expectation if isinstance(expectation, Expectation) else Returns(expectation)
        return self

    def cites(self, sentence: str) -> "Step":
        """Quote this sentence of the contract when the call misses its
        expectation: a test reaches calls its own name does not speak of
        (the trie's empty-word test inserts other words too)."""
        self.sentence = sentence
        return self

    def leaves_args_unchanged(self) -> "Step":
        """The arguments must look the same after the call as before it."""
        self.args_must_stay = True
        return self

    def source(self) -> str:
        if self.shows:
            return self.shows
        parts = [show(a) for a in self.args] + [f"{k}={show(v)}" for k, v in self.kwargs.items()]
        call = f"{self.name}({', '.join(parts)})"
        if self.target is not None and self.name == "__len__" and not parts:
            call = f"len({self.target.name})"
        elif self.target is not None:
            call = f"{self.target.name}.{call}"
        if self.bind:
            call = f"{self.bind} = {call}"
        return call

    def to_request(self) -> dict:
        request = {"name": self.name}
        if self.fixture:
            request["fixture"] = self.name
        if self.args:
            request["args"] = encode(list(self.args))
        if self.kwargs:
            request["kwargs"] = encode(dict(self.kwargs))
        if self.target is not None:
            request["target"] = self.target.name
        if self.bind:
            request["bind"] = self.bind
        if self.args_must_stay:
            request["keep_args"] = True
        return request


class Handle:
    """An object living in the sandbox, named as the transcript names it."""

    def __init__(self, program: "Program", name: str, step: Step):
        self._program = program
        self.name = name
        self.step = step

    def expect(self, expectation) -> "Handle":
        self.step.expect(expectation)
        return self


class Program:
    """An ordered list of steps, sent to the sandbox in one request."""

    def __init__(self):
        self.steps: list[Step] = []
        self._names: dict[str, int] = {}

    def new(self, class_name: str, *args, name: str | None = None, **kwargs) -> Handle:
        """``name = ClassName(*args)``; the object stays in the sandbox."""
        if name is None:
            base = class_name[:1].lower() or "obj"
            count = self._names.get(base, 0) + 1
            self._names[base] = count
            name = base if count == 1 else f"{base}{count}"
        step = Step(class_name, args, kwargs, bind=name)
        self.steps.append(step)
        return Handle(self, name, step)

    def fixture(self, fixture_name: str, *args, name: str | None = None, shows: str | None = None) -> Step:
        """Ask the agent for one of its trusted helpers (``FIXTURES`` in the
        agent): it builds inputs that cannot cross as data, or observes what
        only the inside can see. ``name`` keeps its result in the sandbox
        (pass ``Ref(name)`` as a later argument); ``shows`` is how the step
        reads in a counterexample ("" hides it)."""
        step = Step(fixture_name, args, {}, bind=name, fixture=True, shows=shows)
        self.steps.append(step)
        return step

    def call(self, function_name: str, *args, name: str | None = None, shows: str | None = None,
             **kwargs) -> Step:
        """``function_name(*args)``, a module-level function of the submission;
        with ``name``, its result stays in the sandbox as that name."""
        step = Step(function_name, args, kwargs, bind=name, shows=shows)
        self.steps.append(step)
        return step

    def method(self, handle: Handle, method_name: str, *args, **kwargs) -> Step:
        """``handle.method_name(*args)``."""
        step = Step(method_name, args, kwargs, target=handle)
        self.steps.append(step)
        return step


class Mismatch(AssertionError):
    """A step missed its expectation; ``transcript`` shows the calls."""

    def __init__(self, reason: str, transcript: str):
        super().__init__(f"{reason}\n{transcript}")
        self.reason = reason
        self.transcript = transcript


def transcript(steps: list[Step], outcomes: list[Outcome], failing: int, problem: str) -> str:
    """The calls up to ``failing``, as a candidate would type them."""
    lines = []
    for step, outcome in zip(steps[:failing], outcomes[:failing]):
        if step.shows == "" and outcome.raised is None:
            continue
        line = step.source()
        if step.expectation.shows_result and not step.bind and outcome.raised is None:
            line += f" -> {show(outcome.value)}"
        elif outcome.raised is not None:
            line += f" -> raised {outcome.raised.type_name}"
        lines.append(line)
    lines.append(f"{steps[failing].source()} -> {problem}")
    text = "; ".join(lines)
    if len(text) > 160:
        text = "\n".join(lines)
    if len(text) > MAX_COUNTEREXAMPLE_CHARS:
        text = _cut_between_calls(lines)
    return text


def _cut_between_calls(lines: list[str]) -> str:
    """A long transcript's first call (usually the object being built) and
    its last calls (the failure), cut between whole calls and saying how
    many are left out: a transcript cut mid-call reads as a different call."""
    first, rest = lines[0][:MAX_COUNTEREXAMPLE_CHARS // 4], lines[1:]
    budget, tail = MAX_COUNTEREXAMPLE_CHARS - len(first) - 60, []
    for line in reversed(rest):
        if tail and budget - len(line) - 1 < 0:
            break
        tail.append(line[-budget:] if not tail else line)
        budget -= len(line) + 1
    left_out = len(rest) - len(tail)
    middle = [f"... ({left_out} more call{'s' if left_out != 1 else ''} not shown)"] if left_out else []
    return "\n".join([first, *middle, *reversed(tail)])


def cited(problem: str, sentence: str) -> str:
    """A failure's reason followed by the sentence of the contract it breaks."""
    return f"{problem} (contract: '{sentence}')"


def judge(steps: list[Step], outcomes: list[Outcome]) -> None:
    """Raise ``Mismatch`` at the first step whose outcome misses its expectation."""
    for index, (step, outcome) in enumerate(zip(steps, outcomes)):
        problem = step.expectation.problem(outcome)
        if problem is not None and step.sentence:
            problem = cited(problem, step.sentence)
        if problem is None and step.args_must_stay:
            problem = _args_problem(step, outcome)
        if problem is not None:
            raise Mismatch(problem, transcript(steps, outcomes, index, problem))


def _args_problem(step: Step, outcome: Outcome) -> str | None:
    if outcome.args_unreadable:
        return f"its arguments could not be read afterwards ({outcome.args_unreadable})"
    if outcome.args_after is None:
        return None
    ordinals = ("first", "second", "third", "fourth", "fifth")
    for index, (before, after) in enumerate(zip(step.args, outcome.args_after)):
        if not same(after, before):
            which = "its argument" if len(step.args) == 1 else f"its {ordinals[index] if index < 5 else f'#{index + 1}'} argument"
            return f"changed {which}: it is now {show(after)}"
    return None


def same(a, b) -> bool:
    """Strict structural equality without recursion: types must match exactly
    (so ``True`` differs from ``1`` and a tuple from a list). A pair of
    containers met again (values that contain themselves) is not walked twice."""
    stack, seen = [(a, b)], set()
    while stack:
        x, y = stack.pop()
        if type(x) is not type(y):
            return False
        if isinstance(x, _CONTAINERS):
            if (id(x), id(y)) in seen:
                continue
            seen.add((id(x), id(y)))
        if isinstance(x, (list, tuple)):
            if len(x) != len(y):
                return False
            stack.extend(zip(x, y))
        elif isinstance(x, dict):
            if x.keys() != y.keys():
                return False
            stack.extend((x[k], y[k]) for k in x)
        elif isinstance(x, Opaque):
            return False
        elif isinstance(x, float):
            if not (x == y or (x != x and y != y)):
                return False
        elif x != y:
            return False
    return True
