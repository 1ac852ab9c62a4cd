"""bounded-gather's and retry's sandbox helpers on their own: the virtual
clock costs no real time and stops, instead of hanging, a loop that can
never go on; the routed sleeps record instead of sleeping."""

from __future__ import annotations

import time
import types
from pathlib import Path

import pytest

CHALLENGES = Path(__file__).resolve().parents[1] / "challenges"


def _fixtures(slug: str) -> dict:
    namespace = {"__name__": "grader_fixtures"}
    source = (CHALLENGES / slug / "sandbox_fixtures.py").read_text()
    exec(compile(source, f"<{slug} sandbox_fixtures.py>", "exec"), namespace)
    return namespace


def _agent(**functions):
    return types.SimpleNamespace(module=types.SimpleNamespace(**functions), scratch={})


def _gather(bounded_gather, specs, limit=2, horizon=100.0):
    fixtures = _fixtures("bounded-gather")
    return fixtures["fixture_gather"](_agent(bounded_gather=bounded_gather), specs, limit, horizon)


async def _one_at_a_time(factories, limit):
    return [await factory() for factory in factories]


def test_virtual_seconds_cost_no_real_time():
    started = time.monotonic()
    report = _gather(_one_at_a_time, [[30, ["return", 1], "coroutine"], [30, ["return", 2], "awaitable"]])
    assert time.monotonic() - started < 2
    assert report["returned"] == [1, 2]
    assert report["ended at"] == 60.0
    assert [event for event in report["events"] if event[0] == "call"] == [["call", 0, 0.0], ["call", 1, 30.0]]


def test_an_await_that_can_never_finish_is_reported_not_hung():
    import asyncio

    async def waits_forever(factories, limit):
        await asyncio.get_running_loop().create_future()

    started = time.monotonic()
    report = _gather(waits_forever, [[1, ["return", 1], "coroutine"]])
    assert time.monotonic() - started < 5
    assert "nothing left to run" in report["stopped"]


def test_busy_waiting_is_reported_not_hung():
    import asyncio

    async def spins(factories, limit):
        task = asyncio.ensure_future(factories[0]())
        while not task.done():
            await asyncio.sleep(0)
        return [task.result()]

    report = _gather(spins, [[1, ["return", 1], "coroutine"]])
    assert "busy-waiting" in report["stopped"]


def test_the_exception_object_is_named_by_its_factory():
    report = _gather(_one_at_a_time, [[1, ["return", 1], "coroutine"], [2.5, ["raise", "no"], "coroutine"]])
    assert report["raised"]["factory"] == 1 and report["raised"]["type"] == "GatherError"
    assert report["ended at"] == 3.5


@pytest.mark.parametrize("name", ["time", "asyncio"])
def test_routed_sleeps_record_only_while_asked(name):
    import asyncio

    fixtures = _fixtures("retry")
    real = {"time": time.sleep, "asyncio": asyncio.sleep}
    agent = _agent()
    try:
        fixtures["before_import"](agent)
        fixtures["fixture_record_sleeps"](agent)
        started = time.monotonic()
        if name == "time":
            time.sleep(30)
        else:
            asyncio.run(asyncio.sleep(30))
        assert time.monotonic() - started < 2
        calls = fixtures["fixture_sleep_calls"](agent)
        assert calls[f"{name}.sleep"] == [[[30], {}]]
        agent.scratch.clear()               # the next program: real sleeps again
        started = time.monotonic()
        if name == "time":
            time.sleep(0.05)
        else:
            asyncio.run(asyncio.sleep(0.05))
        assert time.monotonic() - started >= 0.04
    finally:
        time.sleep = real["time"]
        asyncio.sleep = asyncio.tasks.sleep = real["asyncio"]
