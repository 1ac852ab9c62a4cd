"""A call that never returns is named (issue 13 item 7): the agent says
which step is starting, the host keeps only well-formed notes and uses them
for the message alone, never for the verdict."""

from __future__ import annotations

import os
import threading

import pytest

from grader.sandbox.base import SandboxFailure
from grader.sandbox.channel import JsonLineChannel

HANGS_ON_THIRD = """
def add(a, b):
    return a + b


class Counter:
    def __init__(self):
        self.count = 0

    def increment(self):
        self.count += 1
        while self.count == 3:
            pass
        return self.count
"""


def test_a_time_out_names_the_call_that_did_not_return(grade_adder):
    report = grade_adder(HANGS_ON_THIRD)
    [counts] = [t for t in report["correctness"]["tests"] if t["name"] == "counter_counts"]
    assert counts["status"] == "timeout"
    assert counts["message"].startswith("time limit exceeded: c.increment() did not return within 1.5 s")
    lines = counts["counterexample"].splitlines()
    assert lines[-1] == "c.increment() -> no answer" and lines.count("c.increment()") == 2, lines
    assert report["limits"]["timed_out"] is True


class _ScriptedAgent:
    """The agent's end of a channel, writing whatever lines a test scripts."""

    def __init__(self):
        self.to_agent = os.pipe()
        self.from_agent = os.pipe()
        self.channel = JsonLineChannel(self.to_agent[1], self.from_agent[0])

    def say(self, *lines: bytes) -> threading.Thread:
        writer = threading.Thread(target=os.write, args=(self.from_agent[1], b"".join(line + b"\n" for line in lines)))
        writer.start()
        return writer

    def close(self):
        for fd in (*self.to_agent, *self.from_agent):
            os.close(fd)


@pytest.fixture
def agent():
    scripted = _ScriptedAgent()
    yield scripted
    scripted.close()


RUN_TWO = {"op": "run", "steps": [{"name": "add"}, {"name": "add"}]}


def test_progress_notes_are_read_and_the_reply_still_returned(agent):
    agent.say(b'{"id": 1, "progress": 0}', b'{"id": 1, "progress": 1}', b'{"id": 1, "ok": true, "results": []}')
    assert agent.channel.exchange(RUN_TWO, timeout=5) == {"id": 1, "ok": True, "results": []}
    assert agent.channel.started_step == 1


def test_a_time_out_after_a_progress_note_knows_the_step(agent):
    agent.say(b'{"id": 1, "progress": 0}', b'{"id": 1, "progress": 1}').join()
    with pytest.raises(TimeoutError):
        agent.channel.exchange(RUN_TWO, timeout=0.3)
    assert agent.channel.started_step == 1


@pytest.mark.parametrize("notes", [
    [b'{"id": 1, "progress": 2}'],                                 # past the last step
    [b'{"id": 1, "progress": 1}', b'{"id": 1, "progress": 1}'],    # not a later step: unbounded notes
    [b'{"id": 1, "progress": 1}', b'{"id": 1, "progress": 0}'],
    [b'{"id": 1, "progress": -1}'],
    [b'{"id": 1, "progress": true}'],
    [b'{"id": 1, "progress": 0.5}'],
    [b'{"id": 1, "progress": 0, "ok": true, "results": []}'],      # a reply dressed as a note
], ids=["past-the-end", "repeated", "backwards", "negative", "bool", "float", "with-a-reply"])
def test_forged_progress_notes_are_a_protocol_failure(agent, notes):
    agent.say(*notes, b'{"id": 1, "ok": true, "results": []}')
    with pytest.raises(SandboxFailure) as failure:
        agent.channel.exchange(RUN_TWO, timeout=5)
    assert failure.value.kind == "protocol"


FORGES_NOTES = """
import gc


def add(a, b):
    for obj in gc.get_objects():
        if type(obj).__name__ == "Agent" and callable(getattr(obj, "progress", None)):
            for _ in range(3):
                obj.progress(10 ** 6)
    return a + b


class Counter:
    def __init__(self):
        self.count = 0

    def increment(self):
        self.count += 1
        return self.count
"""


def test_a_submission_that_forges_progress_notes_fails_without_crashing_the_grader(grade_adder):
    report = grade_adder(FORGES_NOTES)
    assert report["verdict"] == "fail"
    [adds] = [t for t in report["correctness"]["tests"] if t["name"] == "adds_two_integers"]
    assert adds["status"] == "error" and "progress note" in adds["message"]


def test_grading_says_which_hidden_test_is_running(adder, write_submission):
    """The status line of `grader test` (a hanging test is not a silent spinner)."""
    from grader.grading import GradeOptions, grade
    from grader.sandbox.process import ProcessBackend
    heard: list[str] = []
    grade(write_submission(HANGS_ON_THIRD), adder, ProcessBackend(), GradeOptions(max_examples=5), progress=heard.append)
    assert heard == ["hidden test 1 of 2: adds_two_integers", "hidden test 2 of 2: counter_counts"]
