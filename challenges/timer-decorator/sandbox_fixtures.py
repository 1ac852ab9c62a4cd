"""timer-decorator's helpers inside the sandbox: probes to decorate, a fake
``time.perf_counter``, and the fixture that wraps a probe with the
submission's ``timer`` and reports what happened (records, metadata, the
result or the exception, clock readings). They run beside the submission,
so the hidden tests judge what they report as the submission's answer.
Standard library only."""

import functools
import sys


def _optional_text(agent, value):
    return None if value is None else agent.text(value)


def before_import(agent):
    """The fake clock must be in place before the submission takes its own
    references to ``perf_counter`` at import."""
    _route_perf_counter()


class ProbeError(Exception):
    """The exception a probe raises; the wrapper must re-raise this very object."""


def _probe_add(a, b):
    """Add two numbers."""
    return a + b


def _probe_collect(*args, **kwargs):
    """Return what it was given."""
    return [list(args), dict(kwargs)]


class _Account:
    def __init__(self):
        self.balance = 10

    def deposit(self, amount, *, note=""):
        """Deposit and return the new balance."""
        self.balance += amount
        return [self.balance, note]

    async def deposit_later(self, amount, *, note=""):
        """Deposit, asynchronously, and return the new balance."""
        import asyncio
        await asyncio.sleep(0)
        self.balance += amount
        _ASYNC_DONE[0] = True
        return [self.balance, note]


_ASYNC_DONE = [False]


async def _probe_async_double(x):
    """Double, asynchronously."""
    import asyncio
    await asyncio.sleep(0)
    _ASYNC_DONE[0] = True
    return 2 * x


def _timer_target(kind, message):
    """(function to decorate, exception it raises or None) for a probe kind.
    The raising probes are made here, so their ``__qualname__``
    (``_timer_target.<locals>.fail``) differs from their ``__name__``."""
    if kind == "fail":
        thrown = ProbeError(message)

        def fail(*args, **kwargs):
            """Always raises."""
            raise thrown
        return fail, thrown
    if kind == "async_fail":
        thrown = ProbeError(message)

        async def async_fail(*args, **kwargs):
            """Always raises, asynchronously."""
            import asyncio
            await asyncio.sleep(0)
            _ASYNC_DONE[0] = True
            raise thrown
        return async_fail, thrown
    targets = {"add": _probe_add, "collect": _probe_collect, "method": _Account.deposit,
               "async": _probe_async_double, "async_method": _Account.deposit_later}
    return targets[kind], None


_FAKE_PERF_COUNTER = []  # the timer probe's fake clock, while a probe runs


def _route_perf_counter():
    """Make ``time.perf_counter`` a function that reads the timer probe's fake
    clock while a probe runs and the real clock otherwise. Done before the
    submission is imported, so every reference it keeps (``from time import
    perf_counter as pc``, ``timeit.default_timer``, a default argument) is
    this function, and the probe's fake clock reaches all of them."""
    import time
    real = time.perf_counter

    @functools.wraps(real)
    def perf_counter():
        return _FAKE_PERF_COUNTER[0]() if _FAKE_PERF_COUNTER else real()

    time.perf_counter = perf_counter
    timeit = sys.modules.get("timeit")
    if timeit is not None and timeit.default_timer is real:
        timeit.default_timer = perf_counter


def fixture_timer_probe(agent, kind, args, kwargs, elapsed, message="probe failure", start=1000.0, calls=1):
    """Decorate a probe with the submission's ``timer`` under a fake
    ``time.perf_counter`` that reads ``start`` first and advances by
    ``elapsed`` per reading, call it ``calls`` times, and report what
    happened: result or exception (of the last call), log records, metadata."""
    import asyncio
    import inspect
    import logging
    import time as time_module

    timer = getattr(agent.module, "timer")
    original_clock = time_module.perf_counter
    readings = []

    def fake_perf_counter():
        readings.append(1)
        return start + elapsed * (len(readings) - 1)

    records = []
    early = []  # records logged before an async probe's body had finished
    _ASYNC_DONE[0] = False

    class Capture(logging.Handler):
        def emit(self, record):
            try:
                text = record.getMessage()
            except Exception as exc:  # noqa: BLE001
                text = "<unformattable: %s>" % agent.text(exc)
            records.append([record.levelname, record.name, text])
            if not _ASYNC_DONE[0]:
                early.append(text)

    async def awaiting(awaitable):
        return await awaitable

    logger = logging.getLogger("timer")
    handler = Capture(level=logging.DEBUG)
    saved_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    target, thrown = _timer_target(kind, message)
    asynchronous = kind.startswith("async")
    report = {"records": records,
              "function": {"__name__": target.__name__, "__qualname__": target.__qualname__,
                           "__doc__": target.__doc__, "__module__": target.__module__}}
    try:
        # The routed clock (see _route_perf_counter) reaches every alias; time.perf_counter
        # itself is set too, in case the submission rebound it.
        _FAKE_PERF_COUNTER[:] = [fake_perf_counter]
        time_module.perf_counter = fake_perf_counter
        wrapper = timer(target)
        report["metadata"] = {
            name: _optional_text(agent, getattr(wrapper, name, None))
            for name in ("__name__", "__qualname__", "__doc__", "__module__")
        }
        report["metadata"].update({
            "wraps the function": getattr(wrapper, "__wrapped__", None) is target,
            "is a coroutine function": inspect.iscoroutinefunction(wrapper),
        })
        for _ in range(calls):
            _ASYNC_DONE[0] = False
            report.pop("returned", None)
            report.pop("raised", None)
            try:
                if kind in ("method", "async_method"):
                    _Account.timed_deposit = wrapper
                    value = _Account().timed_deposit(*args, **kwargs)
                else:
                    value = wrapper(*args, **kwargs)
                if asynchronous and inspect.isawaitable(value):
                    value = asyncio.run(awaiting(value))
                    if inspect.isawaitable(value):
                        # The wrapper returned func's coroutine instead of awaiting it.
                        if inspect.iscoroutine(value):
                            value.close()
                        report["returned an awaitable"] = True
                        value = "<%s object>" % type(value).__name__
                report["returned"] = value
            except BaseException as exc:  # noqa: BLE001 - the point of the probe
                report["raised"] = {"type": type(exc).__name__, "message": agent.text(exc),
                                    "same object": thrown is not None and exc is thrown}
    finally:
        _FAKE_PERF_COUNTER[:] = []
        time_module.perf_counter = original_clock
        logger.removeHandler(handler)
        logger.setLevel(saved_level)
    report["clock readings"] = len(readings)
    if asynchronous:
        report["logged before the awaited call finished"] = early
    return report


FIXTURES = {"timer_probe": fixture_timer_probe}
