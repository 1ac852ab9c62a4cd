"""flatten's helper inside the sandbox (shipped with the agent, registered
by name in FIXTURES). Standard library only."""


def fixture_nested_list(agent, depth, innermost):
    """``innermost`` wrapped in ``depth`` lists: deep input built where it is
    used, instead of crossing the boundary as 100,000 nested nodes."""
    value = list(innermost)
    for _ in range(depth):
        value = [value]
    return value


FIXTURES = {"nested_list": fixture_nested_list}
