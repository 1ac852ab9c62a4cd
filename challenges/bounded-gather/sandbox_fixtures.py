"""bounded-gather's helpers inside the sandbox (standard library only): timed
fake awaitables run by the submission's ``bounded_gather`` on an event loop
with a virtual clock, and a record of what they saw. They run beside the
submission, so the hidden tests judge what they report as the submission's
answer; the host computes the ideal schedule and decides every expectation.

The clock is virtual: ``loop.time()`` starts at 0 and moves only when every
task is waiting on a timer, straight to the next timer (the selector's
``select(timeout)`` adds ``timeout`` to the clock instead of blocking). So a
fake that sleeps 3 "seconds" costs no real time, the schedule is exact and
the same on a loaded machine as on an idle one, and the durations can be
long enough that batching or a slot left idle shows plainly. A loop that has
nothing left to wait for (a deadlock), or that spins without ever letting
time pass (busy-waiting with ``asyncio.sleep(0)``), is stopped and reported
instead of hanging."""

import asyncio
import selectors

SPIN_LIMIT = 100_000    # loop iterations at one virtual instant before we call it busy-waiting


class LoopStopped(Exception):
    """The virtual loop cannot go on: reported, never caught by the submission."""


class VirtualSelector(selectors.BaseSelector):
    """A real selector (for the loop's self-pipe) whose waits move the
    virtual clock instead of blocking."""

    def __init__(self, clock):
        self._real = selectors.DefaultSelector()
        self._clock = clock
        self._spins = 0

    def register(self, fileobj, events, data=None):
        return self._real.register(fileobj, events, data)

    def unregister(self, fileobj):
        return self._real.unregister(fileobj)

    def modify(self, fileobj, events, data=None):
        return self._real.modify(fileobj, events, data)

    def get_map(self):
        return self._real.get_map()

    def close(self):
        self._real.close()

    def reset(self):
        self._spins = 0

    def select(self, timeout=None):
        events = self._real.select(0)
        if events:
            return events
        if timeout is None:
            events = self._real.select(0.05)    # a thread may still call_soon_threadsafe
            if events:
                return events
            raise LoopStopped("the event loop has nothing left to run and nothing to wait for "
                              "(an await that can never finish)")
        if timeout <= 0:
            self._spins += 1
            if self._spins > SPIN_LIMIT:
                raise LoopStopped("the event loop ran %d times without ever waiting "
                                  "(busy-waiting, e.g. a loop around asyncio.sleep(0))" % SPIN_LIMIT)
            return []
        self._spins = 0
        self._clock[0] += timeout
        return []


class VirtualLoop(asyncio.SelectorEventLoop):
    def __init__(self):
        self._virtual_now = [0.0]
        self.virtual_selector = VirtualSelector(self._virtual_now)
        super().__init__(self.virtual_selector)

    def time(self):
        return self._virtual_now[0]


class GatherError(Exception):
    """What a failing fake raises; bounded_gather must raise this very object."""


class Timeline:
    """What the fakes saw: [event, factory index, virtual time] in order."""

    def __init__(self, loop):
        self.loop = loop
        self.events = []
        self.errors = {}
        self.results = {}

    def note(self, event, index):
        self.events.append([event, index, self.loop.time()])


class TimedAwaitable:
    """An awaitable that is not a coroutine (it has ``__await__``)."""

    def __init__(self, coroutine):
        self._coroutine = coroutine

    def __await__(self):
        return self._coroutine.__await__()


def _factory(timeline, index, duration, outcome, kind):
    async def body():
        timeline.note("start", index)
        try:
            await asyncio.sleep(duration)
        except asyncio.CancelledError:
            timeline.note("cancel", index)
            raise
        if outcome[0] == "raise":
            error = GatherError(outcome[1])
            timeline.errors[index] = error
            timeline.note("raise", index)
            raise error
        value = outcome[1]
        if isinstance(value, list):
            value = list(value)
        timeline.results[index] = value
        timeline.note("finish", index)
        return value

    def factory():
        timeline.note("call", index)
        coroutine = body()
        return TimedAwaitable(coroutine) if kind == "awaitable" else coroutine

    return factory


def _plain(value, depth=0):
    if value is None or isinstance(value, (bool, int, float, str)):
        return True
    if isinstance(value, list) and depth < 3:
        return all(_plain(item, depth + 1) for item in value)
    return False


def _finish(loop):
    """Cancel whatever the submission left running, then close the loop."""
    try:
        loop.virtual_selector.reset()
        tasks = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in tasks:
            task.cancel()
        if tasks:
            loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
    except BaseException:  # noqa: BLE001 - cleanup only
        pass
    finally:
        loop.close()


def fixture_gather(agent, specs, limit, horizon):
    """``await bounded_gather(factories, limit)`` on a virtual-clock loop,
    where factory i returns a fake (a coroutine, or an ``awaitable`` object)
    that sleeps ``specs[i][0]`` virtual seconds, then returns
    ``specs[i][1][1]`` or raises a GatherError; then the loop runs on until
    ``horizon``, to see what was left running. Reports the events, what
    bounded_gather returned or raised (and whose exception object it was),
    and when it ended."""
    loop = VirtualLoop()
    loop.set_exception_handler(lambda loop, context: None)
    timeline = Timeline(loop)
    factories = [_factory(timeline, i, spec[0], spec[1], spec[2]) for i, spec in enumerate(specs)]
    report = {}

    async def main():
        try:
            value = await agent.module.bounded_gather(factories, limit)
        except GeneratorExit:
            raise               # the loop is being torn down: nothing to report
        except BaseException as exc:  # noqa: BLE001 - the point of the fixture
            owner = [i for i, error in timeline.errors.items() if error is exc]
            try:
                message = str(exc)
            except BaseException:  # noqa: BLE001
                message = "<unprintable>"
            report["raised"] = {"type": type(exc).__name__, "message": message[:200],
                                "factory": owner[0] if owner else None,
                                "is a ValueError": isinstance(exc, ValueError)}
        else:
            if _plain(value):
                report["returned"] = value
            else:
                report["returned"] = "<%s: %s>" % (type(value).__name__, repr(value)[:200])
        report["ended at"] = loop.time()
        if loop.time() < horizon:
            await asyncio.sleep(horizon - loop.time())

    try:
        loop.run_until_complete(main())
    except LoopStopped as exc:
        report["stopped"] = str(exc)
    finally:
        _finish(loop)
    report["events"] = timeline.events
    return report


FIXTURES = {"gather": fixture_gather}
