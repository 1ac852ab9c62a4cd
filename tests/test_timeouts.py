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


FORGED_NOTES = [
    [b'{"id": 1, "progress": 2}'],                                 # past the last step
    [b'{"id": 1, "progress": 1}', b'{"id": 1, "progress": 1}'],    # not a later step: unbounded notes
    [b'{"id": 1, "progress": 1}', b'{"id": 1, "progress": 0}'],
    [b'{"id": 1, "progress": -1}'],
    [b'{"id": 1, "progress": true}'],
    [b'{"id": 1, "progress": 0.5}'],
    [b'{"id": 1, "progress": 0, "ok": true, "results": []}'],      # a reply dressed as a note
]
FORGED_IDS = ["past-the-end", "repeated", "backwards", "negative", "bool", "float", "with-a-reply"]


@pytest.mark.parametrize("notes", FORGED_NOTES, ids=FORGED_IDS)
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


class _PipedAgent(_ScriptedAgent):
    """The same, with the process sandbox's progress pipe: notes written there are read only with
    the reply (checked) or at a time-out (to name the step)."""

    def __init__(self):
        super().__init__()
        self.progress = os.pipe()
        os.set_blocking(self.progress[0], False)
        self.channel = JsonLineChannel(self.to_agent[1], self.from_agent[0], progress_fd=self.progress[0])

    def answer(self, notes: list[bytes], replies: list[bytes] = ()) -> threading.Thread:
        """Once the request is in: ``notes`` on the pipe, then ``replies`` in-band (as the agent does)."""
        def write():
            os.read(self.to_agent[0], 1 << 16)
            os.write(self.progress[1], b"".join(line + b"\n" for line in notes))
            if replies:
                os.write(self.from_agent[1], b"".join(line + b"\n" for line in replies))
        writer = threading.Thread(target=write)
        writer.start()
        return writer

    def close(self):
        super().close()
        for fd in self.progress:
            os.close(fd)


@pytest.fixture
def piped():
    scripted = _PipedAgent()
    yield scripted
    scripted.close()


def test_piped_notes_are_checked_with_the_reply(piped):
    piped.answer([b'{"id": 1, "progress": 0}', b'{"id": 1, "progress": 1}'], [b'{"id": 1, "ok": true, "results": []}'])
    assert piped.channel.exchange(RUN_TWO, timeout=5) == {"id": 1, "ok": True, "results": []}


def test_a_time_out_after_a_piped_note_knows_the_step(piped):
    piped.answer([b'{"id": 1, "progress": 0}', b'{"id": 1, "progress": 1}'])
    with pytest.raises(TimeoutError):
        piped.channel.exchange(RUN_TWO, timeout=0.3)
    assert piped.channel.started_step == 1


PIPED_FORGERIES = FORGED_NOTES + [[b"junk"], [b'{"id": 2, "progress": 0}']]      # the last: another request's
PIPED_FORGERY_IDS = FORGED_IDS + ["junk", "another-request"]


@pytest.mark.parametrize("notes", PIPED_FORGERIES, ids=PIPED_FORGERY_IDS)
def test_at_a_time_out_forged_piped_notes_are_a_protocol_failure(piped, notes):
    """As in the docker sandbox, which reads each in-band note as it comes, a step that hangs after
    forging one is a protocol failure, not a time-out (it was skipped: another verdict)."""
    piped.answer([b'{"id": 1, "progress": 0}', *notes])
    with pytest.raises(SandboxFailure) as failure:
        piped.channel.exchange(RUN_TWO, timeout=0.3)
    assert failure.value.kind == "protocol"


def test_at_a_time_out_a_piped_line_without_its_newline_is_left_out(piped):
    """In-band, such a line would still wait in the buffer: a time-out, as in the docker sandbox."""
    def write():
        os.read(piped.to_agent[0], 1 << 16)
        os.write(piped.progress[1], b'{"id": 1, "progress": 0}\n{"id": 1, "progr')
    threading.Thread(target=write).start()
    with pytest.raises(TimeoutError):
        piped.channel.exchange(RUN_TWO, timeout=0.3)
    assert piped.channel.started_step == 0


def test_at_a_time_out_a_piped_note_after_an_in_band_one_is_a_protocol_failure(piped):
    piped.answer([b'{"id": 1, "progress": 1}'], [b'{"id": 1, "progress": 0}'])
    with pytest.raises(SandboxFailure) as failure:
        piped.channel.exchange(RUN_TWO, timeout=0.3)
    assert failure.value.kind == "protocol"


def test_in_band_notes_sent_once_the_pipe_was_full_come_after_its_own(piped):
    piped.answer([b'{"id": 1, "progress": 0}'], [b'{"id": 1, "progress": 1}'])
    with pytest.raises(TimeoutError):
        piped.channel.exchange(RUN_TWO, timeout=0.3)
    assert piped.channel.started_step == 1


@pytest.mark.parametrize("notes", PIPED_FORGERIES, ids=PIPED_FORGERY_IDS)
def test_forged_piped_notes_are_a_protocol_failure_too(piped, notes):
    """As in-band (the docker sandbox sends every note there): the same verdict in both sandboxes."""
    piped.answer(notes, [b'{"id": 1, "ok": true, "results": []}'])
    with pytest.raises(SandboxFailure) as failure:
        piped.channel.exchange(RUN_TWO, timeout=5)
    assert failure.value.kind == "protocol"


def test_a_piped_note_after_an_in_band_one_is_a_protocol_failure(piped):
    piped.answer([b'{"id": 1, "progress": 1}'],
                 [b'{"id": 1, "progress": 0}', b'{"id": 1, "progress": 1}', b'{"id": 1, "ok": true, "results": []}'])
    with pytest.raises(SandboxFailure) as failure:
        piped.channel.exchange(RUN_TWO, timeout=5)
    assert failure.value.kind == "protocol"


def test_notes_between_requests_are_a_protocol_failure(piped):
    piped.answer([], [b'{"id": 1, "ok": true, "results": []}'])
    piped.channel.exchange(RUN_TWO, timeout=5)
    os.write(piped.progress[1], b'{"id": 2, "progress": 0}\n')      # before request 2 was even sent
    with pytest.raises(SandboxFailure) as failure:
        piped.channel.exchange(RUN_TWO, timeout=5)
    assert failure.value.kind == "protocol"


def test_the_process_sandbox_sends_no_note_in_band(adder, write_submission):
    """A run of many small steps woke the host once a step; now its notes wait in the pipe."""
    from grader.sandbox.base import SandboxLimits
    from grader.sandbox.process import ProcessBackend
    sandbox = ProcessBackend().start({"solution.py": HANGS_ON_THIRD.encode()}, SandboxLimits(memory_mb=256, cpu_seconds=30))
    try:
        assert sandbox.request({"op": "import", "entry_points": ["add"]}, 10)["ok"]
        lines = []
        read_line = sandbox._channel._read_line
        sandbox._channel._read_line = lambda deadline: lines.append(read_line(deadline)) or lines[-1]
        reply = sandbox.request({"op": "run", "steps": [{"name": "add", "args": [["I", 1], ["I", 2]]}] * 40}, 10)
        assert len(reply["results"]) == 40 and len(lines) == 1, lines[:3]
    finally:
        sandbox.close()


CLOSES_THE_PROGRESS_PIPE = HANGS_ON_THIRD + """
import gc, os
for _obj in gc.get_objects():
    if type(_obj).__name__ == "Agent" and getattr(_obj, "progress", None) is not None:
        if _obj.progress.args[0] is not None:     # the docker sandbox's agent has no pipe
            os.close(_obj.progress.args[0])     # the agent then sends its notes in-band
"""


def test_a_closed_progress_pipe_still_names_the_call_that_did_not_return(grade_adder):
    report = grade_adder(CLOSES_THE_PROGRESS_PIPE)
    [counts] = [t for t in report["correctness"]["tests"] if t["name"] == "counter_counts"]
    assert counts["status"] == "timeout"
    assert counts["message"].startswith("time limit exceeded: c.increment() did not return within 1.5 s")


def test_a_submission_that_forges_progress_notes_fails_without_crashing_the_grader(grade_adder):
    report = grade_adder(FORGES_NOTES)
    assert report["verdict"] == "fail"
    [adds] = [t for t in report["correctness"]["tests"] if t["name"] == "adds_two_integers"]
    assert adds["status"] == "error" and "progress note" in adds["message"]


FORGES_A_NOTE_THEN_HANGS = FORGES_NOTES.replace("    return a + b\n", "    while True:\n        pass\n", 1)


def test_a_submission_that_forges_a_note_then_hangs_has_the_same_verdict_in_every_sandbox(grade_adder):
    """The process sandbox reads its piped notes at the time-out: checked there as the docker sandbox
    checks its in-band ones (a protocol failure; the pipe's were skipped, so a time-out)."""
    report = grade_adder(FORGES_A_NOTE_THEN_HANGS)
    [adds] = [t for t in report["correctness"]["tests"] if t["name"] == "adds_two_integers"]
    assert adds["status"] == "error" and "progress note" in adds["message"], adds


FORGES_A_NOTE_THEN_EXITS = FORGES_NOTES.replace("    return a + b\n", "    os._exit(3)\n", 1).replace(
    "import gc\n", "import gc, os\n", 1)


def test_a_submission_that_forges_a_note_then_exits_has_the_same_message_in_every_sandbox(grade_adder):
    """Docker reads the forged note before the end of its channel: a protocol failure, not a crash."""
    report = grade_adder(FORGES_A_NOTE_THEN_EXITS)
    [adds] = [t for t in report["correctness"]["tests"] if t["name"] == "adds_two_integers"]
    assert adds["status"] == "error" and "progress note" in adds["message"], adds


def test_grading_says_which_hidden_test_is_running(adder, write_submission):
    """The status line of `grader test` (a hanging test is not a silent spinner)."""
    from grader.grading import GradeOptions, grade
    from grader.sandbox.process import ProcessBackend
    heard: list[str] = []
    grade(write_submission(HANGS_ON_THIRD), adder, ProcessBackend(), GradeOptions(max_examples=5), progress=heard.append)
    assert heard == ["hidden test 1 of 2: adds_two_integers", "hidden test 2 of 2: counter_counts"]
