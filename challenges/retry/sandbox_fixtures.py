"""retry's helpers inside the sandbox (standard library only): a fake sleep
that records its calls and never sleeps, a flaky function that follows a
script of results and exceptions, and the steps that decorate it with the
submission's ``retry``, call it and read back what happened. They run beside
the submission, so the hidden tests judge what they report as the
submission's answer, and the host's model decides every expectation.

``time.sleep`` and ``asyncio.sleep`` are routed before the submission is
imported (so ``from time import sleep`` and a ``sleep=time.sleep`` default
reach the route): they record instead of sleeping while a program asked for
it (``record_sleeps``), and really sleep otherwise."""

import asyncio
import builtins
import functools
import inspect
import time


class TransientError(Exception):
    """A failure worth retrying."""


class FatalError(Exception):
    """A failure not worth retrying."""


class Interrupt(BaseException):
    """Not an Exception at all (like KeyboardInterrupt)."""


_CUSTOM = {"TransientError": TransientError, "FatalError": FatalError, "Interrupt": Interrupt}
_ROUTE = {}     # "agent": the agent, set by before_import


def _exception_class(name):
    if name in _CUSTOM:
        return _CUSTOM[name]
    value = getattr(builtins, str(name), None)
    if isinstance(value, type) and issubclass(value, BaseException):
        return value
    raise ValueError("no exception class %r" % (name,))


def _recorder(kind):
    agent = _ROUTE.get("agent")
    if agent is None:
        return None
    return agent.scratch.get(kind)


def before_import(agent):
    """Route time.sleep and asyncio.sleep (see the module's docstring)."""
    _ROUTE["agent"] = agent
    real_sleep = time.sleep
    real_async_sleep = asyncio.sleep

    @functools.wraps(real_sleep)
    def sleep(*args, **kwargs):
        record = _recorder("time.sleep")
        if record is None:
            return real_sleep(*args, **kwargs)
        record.append([list(args), dict(kwargs)])
        return None

    @functools.wraps(real_async_sleep)
    async def async_sleep(*args, **kwargs):
        record = _recorder("asyncio.sleep")
        if record is None:
            return await real_async_sleep(*args, **kwargs)
        record.append([list(args), dict(kwargs)])
        await real_async_sleep(0)
        return kwargs.get("result", args[1] if len(args) > 1 else None)

    time.sleep = sleep
    asyncio.sleep = async_sleep
    asyncio.tasks.sleep = async_sleep


def fixture_record_sleeps(agent):
    """From now on in this program, time.sleep and asyncio.sleep record their
    calls instead of sleeping."""
    agent.scratch["time.sleep"] = []
    agent.scratch["asyncio.sleep"] = []


class FakeSleep:
    """A sleep that records each call and returns at once."""

    def __init__(self):
        self.calls = []

    def __call__(self, *args, **kwargs):
        self.calls.append([list(args), dict(kwargs)])


def fixture_fake_sleep(agent):
    return FakeSleep()


def fixture_sleep_calls(agent, sleep=None):
    """The calls ([[args, kwargs], ...]) the fake sleep received, and those
    of time.sleep and asyncio.sleep since record_sleeps."""
    return {"sleep": [list(call) for call in sleep.calls] if isinstance(sleep, FakeSleep) else [],
            "time.sleep": list(agent.scratch.get("time.sleep", [])),
            "asyncio.sleep": list(agent.scratch.get("asyncio.sleep", []))}


class Flaky:
    """What a flaky function does and saw: ``script[i]`` decides call i:
    ``["return", value]`` or ``["raise", exception class name, message]``;
    calls past the script return the string "past the script"."""

    def __init__(self, script, kind):
        self.script = script
        self.kind = kind
        self.calls = []         # [args, kwargs, "self is the instance" or None]
        self.raised = []        # the exception object of each call (None if it returned)
        self.returned = []      # the value object of each call
        self.owner = None       # the class, for methods
        self.wrapper = None

    def step(self, args, kwargs, instance_ok=None):
        index = len(self.calls)
        self.calls.append([list(args), dict(kwargs), instance_ok])
        outcome = self.script[index] if index < len(self.script) else ["return", "past the script"]
        if outcome[0] == "raise":
            exc = _exception_class(outcome[1])(outcome[2])
            self.raised.append(exc)
            self.returned.append(None)
            raise exc
        value = outcome[1]
        if isinstance(value, list):
            value = list(value)     # a fresh object per call, to tell it from a copy
        self.raised.append(None)
        self.returned.append(value)
        return value


def fixture_flaky(agent, script, kind="function"):
    """A function (``function``, ``method``, ``async``, ``async_method``)
    named ``fetch`` that follows ``script``; kept by identity in scratch."""
    record = Flaky(script, kind)
    if kind == "function":
        def fetch(*args, **kwargs):
            """Fetch something that may fail."""
            return record.step(args, kwargs)
        target = fetch
    elif kind == "async":
        async def fetch(*args, **kwargs):
            """Fetch something that may fail, asynchronously."""
            await _REAL_ASYNC_SLEEP(0)
            return record.step(args, kwargs)
        target = fetch
    elif kind in ("method", "async_method"):
        if kind == "method":
            class Service:
                def fetch(self, *args, **kwargs):
                    """Fetch something that may fail."""
                    return record.step(args, kwargs, isinstance(self, Service))
        else:
            class Service:
                async def fetch(self, *args, **kwargs):
                    """Fetch something that may fail, asynchronously."""
                    await _REAL_ASYNC_SLEEP(0)
                    return record.step(args, kwargs, isinstance(self, Service))
        record.owner = Service
        target = Service.fetch
    else:
        raise ValueError("no flaky kind %r" % (kind,))
    agent.scratch.setdefault("flaky", {})[id(target)] = (target, record)
    return target


_REAL_ASYNC_SLEEP = asyncio.sleep   # taken before before_import routes it


def _record(agent, target):
    entry = agent.scratch.get("flaky", {}).get(id(target))
    if entry is None or entry[0] is not target:
        raise ValueError("not a flaky function of this program")
    return entry[1]


def _options(options):
    options = dict(options)
    if "exceptions" in options:
        names = options["exceptions"]
        if isinstance(names, list):
            options["exceptions"] = tuple(_exception_class(name) for name in names)
        else:
            options["exceptions"] = _exception_class(names)
    return options


def fixture_decorate(agent, target, options, sleep=None):
    """``retry(**options, sleep=sleep)(target)`` (sleep left out when None);
    a method is decorated as a class attribute, as in a class body."""
    record = _record(agent, target)
    options = _options(options)
    if sleep is not None:
        options["sleep"] = sleep
    decorator = agent.module.retry(**options)
    wrapper = decorator(target)
    record.wrapper = wrapper
    if record.owner is not None:
        record.owner.fetch = wrapper
    return wrapper


def _identity(record, exc, start):
    """The index, counted from ``start``, of the call that raised ``exc`` itself."""
    for index, raised in enumerate(record.raised):
        if raised is exc:
            return index - start
    return None


def fixture_invoke(agent, target, args, kwargs):
    """Call the decorated function once (through an instance for methods,
    under asyncio.run for async kinds) and say what happened: ``returned``
    (and whether it is the very object fetch returned, by call index) or
    ``raised`` (type, message, the index of the fetch call that raised that
    very object, or None)."""
    record = _record(agent, target)
    wrapper = record.wrapper
    start = len(record.calls)
    report = {}
    try:
        if record.owner is not None:
            value = getattr(record.owner(), "fetch")(*args, **kwargs)
        else:
            value = wrapper(*args, **kwargs)
        if record.kind.startswith("async"):
            if inspect.isawaitable(value):
                async def awaiting(awaitable):
                    return await awaitable
                value = asyncio.run(awaiting(value))
            else:
                report["not awaitable"] = True
        if inspect.isawaitable(value):
            if inspect.iscoroutine(value):
                value.close()
            report["returned an awaitable"] = True
            value = "<%s object>" % type(value).__name__
        report["returned"] = value
        report["same object"] = [i - start for i, v in enumerate(record.returned) if v is value and i >= start]
    except BaseException as exc:  # noqa: BLE001 - the point of the probe
        try:
            message = str(exc)
        except BaseException:  # noqa: BLE001
            message = "<unprintable>"
        report["raised"] = {"type": type(exc).__name__, "message": message, "call": _identity(record, exc, start)}
    report["calls"] = [list(call) for call in record.calls[start:]]
    return report


def fixture_metadata(agent, target):
    """The decorated function's metadata beside the function's own."""
    record = _record(agent, target)
    wrapper = record.wrapper

    def text(value):
        return value if value is None or isinstance(value, str) else "<%s>" % type(value).__name__

    return {
        "wrapper": {name: text(getattr(wrapper, name, None))
                    for name in ("__name__", "__qualname__", "__doc__", "__module__")},
        "function": {name: getattr(target, name) for name in ("__name__", "__qualname__", "__doc__", "__module__")},
        "wraps the function": getattr(wrapper, "__wrapped__", None) is target,
        "is a coroutine function": inspect.iscoroutinefunction(wrapper),
    }


FIXTURES = {
    "record_sleeps": fixture_record_sleeps,
    "fake_sleep": fixture_fake_sleep,
    "sleep_calls": fixture_sleep_calls,
    "flaky": fixture_flaky,
    "decorate": fixture_decorate,
    "invoke": fixture_invoke,
    "metadata": fixture_metadata,
}
