"""circuit-breaker's helpers inside the sandbox: a fake clock that the
hidden tests drive, and the functions they hand to ``breaker.call``. The
host sets every reading (``set_clock``, or a service call that takes time)
and its model knows each one; the breaker reads the clock only here, where
it runs. Nothing this file reports is believed: the hidden tests judge the
breaker's answers against their model. Standard library only."""


class ServiceError(Exception):
    """What a failing service raises."""


def _clock_box(agent, clock):
    held = agent.scratch.get("clocks", {}).get(id(clock))
    if held is None or held[0] is not clock:
        raise LookupError("not a fake clock of this program")
    return held[1]


def fixture_fake_clock(agent, reading):
    """A clock for the breaker: a function of no arguments returning the
    reading the host last set, as a float."""
    box = [float(reading)]

    def clock():
        return box[0]

    agent.scratch.setdefault("clocks", {})[id(clock)] = (clock, box)
    return clock


def fixture_set_clock(agent, clock, reading):
    """Set what ``clock()`` reads from now on (never below the last reading)."""
    box = _clock_box(agent, clock)
    reading = float(reading)
    if reading < box[0]:
        raise ValueError("the fake clock never goes back")
    box[0] = reading


def fixture_service(agent, clock, fails, takes=0.0):
    """A function for ``breaker.call``: it moves ``clock`` on by ``takes``
    seconds while it runs (a slow call), counts the call, then returns
    ``[list(args), kwargs]`` or, when ``fails``, raises
    ``ServiceError("call #N failed")``."""
    box = _clock_box(agent, clock)
    takes = float(takes)

    def service(*args, **kwargs):
        calls = agent.scratch.setdefault("calls", [0])
        calls[0] += 1
        box[0] += takes
        if fails:
            raise ServiceError("call #%d failed" % calls[0])
        return [list(args), dict(kwargs)]

    return service


def fixture_read_state(agent, breaker):
    """``breaker.state``: a property, read as an attribute."""
    return breaker.state


def fixture_calls_made(agent):
    """How many times the services of this program were called."""
    return agent.scratch.get("calls", [0])[0]


def fixture_open_error_facts(agent):
    """What the submission's CircuitOpenError is: a class, an Exception, and
    where it was defined (a builtin such as RuntimeError is not one of its own)."""
    cls = getattr(agent.module, "CircuitOpenError", None)
    is_class = isinstance(cls, type)
    return {
        "is a class": is_class,
        "subclass of Exception": is_class and issubclass(cls, Exception),
        "is Exception itself": cls is Exception,
        "module": str(getattr(cls, "__module__", "")) if is_class else "",
        "solution module": str(getattr(agent.module, "__name__", "")),
    }


FIXTURES = {
    "fake_clock": fixture_fake_clock,
    "set_clock": fixture_set_clock,
    "service": fixture_service,
    "read_state": fixture_read_state,
    "calls_made": fixture_calls_made,
    "open_error_facts": fixture_open_error_facts,
}
