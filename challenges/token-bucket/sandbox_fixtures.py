"""token-bucket's helpers inside the sandbox: a fake clock that the hidden
tests drive. The host sets every reading (``set_clock``) and its model knows
each one; the bucket reads the clock only here, where it runs. Nothing this
file reports is believed: the hidden tests judge the bucket's answers.
Standard library only."""


def fixture_fake_clock(agent, reading):
    """A clock for the bucket: a function of no arguments returning the
    reading the host last set, as a float."""
    box = [float(reading)]

    def clock():
        return box[0]

    agent.scratch.setdefault("clocks", {})[id(clock)] = (clock, box)
    return clock


def fixture_set_clock(agent, clock, reading):
    """Set what ``clock()`` reads from now on (never below the last reading)."""
    held = agent.scratch.get("clocks", {}).get(id(clock))
    if held is None or held[0] is not clock:
        raise LookupError("not a fake clock of this program")
    box = held[1]
    reading = float(reading)
    if reading < box[0]:
        raise ValueError("the fake clock never goes back")
    box[0] = reading


FIXTURES = {
    "fake_clock": fixture_fake_clock,
    "set_clock": fixture_set_clock,
}
