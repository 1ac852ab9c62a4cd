"""JSON lines over pipes, with every wait bounded by a host-side deadline.

The reader never trusts the other side: replies are size-capped, must be one
JSON object and must carry the id of the request they answer.
"""

from __future__ import annotations

import json
import os
import re
import select
import signal
import threading
import time

from grader.agent.agent import PROGRESS_NOTE, loads
from grader.constants import OUTPUT_CAP_BYTES, REPLY_CAP_BYTES
from grader.fileio import output_cut_note
from grader.sandbox.base import Sandbox, SandboxFailure


_STEP_DIGITS = re.compile(rb"(?:0|[1-9][0-9]{0,17})}")


def _progress_step(line: bytes, prefix: bytes) -> int | None:
    """The step a progress note names, when the line is byte for byte the
    agent's note for this request; None for anything else, which the JSON
    parser and the checks after it then read (the same rules either way).
    A program of 1,000 calls sends 1,000 notes: this keeps them cheap."""
    if not line.startswith(prefix):
        return None
    digits = _STEP_DIGITS.fullmatch(line, len(prefix))
    return int(line[len(prefix):-1]) if digits else None


def _noted_step(note: dict, last: int, steps: int) -> int:
    """The step a progress note ("step N is starting") names. A note is only
    ever used to name the call that did not return; it must name a later
    step of this request than the last one, so there are at most as many as
    steps, in-band or on the progress pipe."""
    step = note.get("progress")
    if len(note) != 2 or type(step) is not int or not last < step < steps:
        raise SandboxFailure("protocol", "the sandbox sent a malformed progress note")
    return step


class Closed(Exception):
    """The other end closed the channel."""


PROGRESS_DRAIN_CAP = 4 << 20    # bytes read from the progress pipe at a time, whatever the sandbox writes


class JsonLineChannel:
    """Requests written to ``write_fd``; replies read from ``read_fd``.

    With ``progress_fd`` (a non-blocking pipe's read end), the agent sends
    its notes that a step is starting there: they are read only with the
    reply or when the request times out (to name the step that did not
    return), so a note costs the host nothing (in-band, each one woke it: a
    tenth of a run of small steps). Notes that come in-band anyway (that
    pipe full or closed) are read as before."""

    def __init__(self, write_fd: int, read_fd: int, progress_fd: int | None = None):
        self._write_fd = write_fd
        self._read_fd = read_fd
        self._progress_fd = progress_fd
        self._buffer = bytearray()
        self._next_id = 0
        self.started_step: int | None = None   # the last step the agent said it started

    def exchange(self, message: dict, timeout: float) -> dict:
        self._next_id += 1
        request_id = self._next_id
        data = json.dumps(dict(message, id=request_id)).encode("utf-8", "surrogatepass") + b"\n"
        deadline = time.monotonic() + timeout
        self.started_step = None
        steps = len(message.get("steps", ()))
        if self._read_progress():       # every note of the last request was read with its reply
            raise SandboxFailure("protocol", "the sandbox sent progress notes out of turn")
        try:
            self._write_all(data, deadline)
        except (BrokenPipeError, OSError) as exc:
            raise Closed(str(exc)) from exc
        progress_prefix = PROGRESS_NOTE % request_id
        first_in_band = None
        while True:
            try:
                line = self._read_line(deadline)
            except (TimeoutError, Closed):     # the pipe's notes came first: checked first, as in-band
                found = self._piped_notes(progress_prefix, request_id, steps, first_in_band, at_time_out=True)
                if found and self.started_step is None:     # else an in-band note came later
                    self.started_step = found[-1]
                raise
            step = _progress_step(line, progress_prefix)
            if step is not None:        # the agent's own note, read without the JSON parser
                self.started_step = self._next_step({"progress": step, "id": request_id}, steps)
                first_in_band = self.started_step if first_in_band is None else first_in_band
                continue
            try:
                reply = loads(line)
            except (ValueError, RecursionError):   # RecursionError: JSON nested deeper than the parser goes
                raise SandboxFailure("protocol", "the sandbox sent something that is not a JSON reply") from None
            if not isinstance(reply, dict):
                raise SandboxFailure("protocol", "the sandbox sent a reply that is not a JSON object")
            if reply.get("id") != request_id:
                raise SandboxFailure("protocol", "the sandbox answered out of turn (forged or stray reply)")
            if "progress" not in reply:
                self._piped_notes(progress_prefix, request_id, steps, first_in_band, at_time_out=False)
                return reply
            self.started_step = self._next_step(reply, steps)
            first_in_band = self.started_step if first_in_band is None else first_in_band

    def _piped_notes(self, prefix: bytes, request_id: int, steps: int, first_in_band: int | None, *,
                     at_time_out: bool) -> list[int]:
        """The steps the progress pipe's notes name, in order, checked as
        in-band notes are (this request's, each a later step than the one
        before, one of its steps; anything else is a protocol failure): the
        sandbox can write on that pipe too, and the docker sandbox, which
        sends every note in-band, fails such a note as soon as it comes,
        time-out or not. They came before any in-band note (the agent writes
        in-band only once the pipe is full), so they name earlier steps.
        ``at_time_out``: a last line without its newline is left out, as an
        in-band one would still wait in the buffer."""
        if self._progress_fd is None:
            return []
        data = self._read_progress()
        if at_time_out:
            data = data[:data.rfind(b"\n") + 1]
        lines = data.split(b"\n")
        if not lines[-1]:
            lines.pop()
        found: list[int] = []
        for line in lines:
            step = _progress_step(line, prefix)
            if step is None:
                try:
                    note = loads(line)
                except (ValueError, RecursionError):
                    note = None
                if not isinstance(note, dict) or note.get("id") != request_id:
                    raise SandboxFailure("protocol", "the sandbox sent a malformed progress note")
            else:
                note = {"progress": step, "id": request_id}
            found.append(_noted_step(note, found[-1] if found else -1, steps))
        if found and first_in_band is not None and found[-1] >= first_in_band:
            raise SandboxFailure("protocol", "the sandbox sent a malformed progress note")
        return found

    def _read_progress(self) -> bytes:
        """What the progress pipe holds now, at most PROGRESS_DRAIN_CAP bytes."""
        if self._progress_fd is None:
            return b""
        chunks, size = [], 0
        while size < PROGRESS_DRAIN_CAP:
            try:
                chunk = os.read(self._progress_fd, 1 << 20)
            except (BlockingIOError, InterruptedError):
                break
            except OSError:
                self._progress_fd = None
                break
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)

    def _next_step(self, note: dict, steps: int) -> int:
        return _noted_step(note, -1 if self.started_step is None else self.started_step, steps)

    def _write_all(self, data: bytes, deadline: float) -> None:
        view = memoryview(data)
        while view:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            _, ready, _ = select.select([], [self._write_fd], [], remaining)
            if not ready:
                raise TimeoutError
            written = self._write_some(view[: 1 << 16])
            view = view[written:]

    def _write_some(self, data: memoryview) -> int:
        """Write what the descriptor takes now; a subclass may write elsewhere."""
        return os.write(self._write_fd, data)

    def _read_line(self, deadline: float) -> bytes:
        while True:
            newline = self._buffer.find(b"\n")
            if newline >= 0:
                line = bytes(self._buffer[:newline])
                del self._buffer[: newline + 1]
                return line
            if len(self._buffer) > REPLY_CAP_BYTES:
                raise SandboxFailure("protocol", "the sandbox sent a reply larger than %d MiB" % (REPLY_CAP_BYTES >> 20))
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self._read_fd], [], [], remaining)
            if not ready:
                raise TimeoutError
            chunk = os.read(self._read_fd, 1 << 20)
            if not chunk:
                raise Closed("end of file")
            self._buffer += chunk


class CappedOutput:
    """What the submission printed, bounded here on the host whatever it
    sends: its first and last ``cap // 2`` bytes (the start says what it was
    doing, the end how it ended), the middle only counted."""

    def __init__(self, cap: int = OUTPUT_CAP_BYTES):
        self._head_cap = cap // 2
        self._tail_cap = cap - self._head_cap
        self._head = bytearray()
        self._tail = bytearray()     # the last bytes seen, trimmed as more come
        self.dropped = 0

    def feed(self, chunk: bytes) -> None:
        room = self._head_cap - len(self._head)
        if room > 0:
            self._head += chunk[:room]
            chunk = chunk[room:]
        if chunk:
            self.dropped += max(0, len(chunk) - self._tail_cap)
            self._tail += chunk[-self._tail_cap:]
            excess = len(self._tail) - self._tail_cap
            if excess > 0:
                del self._tail[:excess]
                self.dropped += excess

    def text(self) -> str:
        head, tail, dropped = bytes(self._head), bytes(self._tail), self.dropped
        note = output_cut_note(dropped, "bytes") if dropped else ""
        return head.decode("utf-8", "replace") + note + tail.decode("utf-8", "replace")


class OutputDrain(CappedOutput):
    """Reads a pipe until it closes, keeping the start and the end.

    Draining everything (not just the cap) keeps a flooding submission from
    blocking on a full pipe, which would look like a hang of correct code.
    """

    def __init__(self, fd: int, cap: int = OUTPUT_CAP_BYTES):
        super().__init__(cap)
        self._fd = fd
        self._thread = threading.Thread(target=self._run, name="sandbox-output", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            try:
                chunk = os.read(self._fd, 1 << 16)
            except OSError:
                return
            if not chunk:
                return
            self.feed(chunk)

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)


def exit_failure(code, *, init_reports_signals: bool) -> SandboxFailure:
    """What a sandbox's ending means: a negative code is death by that signal;
    an init process (bubblewrap's, Docker's) reports death by signal n as 128 + n."""
    if init_reports_signals and isinstance(code, int) and 128 < code < 128 + 64:
        code = 128 - code
    if isinstance(code, int) and code < 0:
        if -code == signal.SIGXCPU:
            return SandboxFailure("timeout", "the CPU time limit was exceeded")
        name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
        return SandboxFailure("crashed", f"the process was killed by signal {name}")
    return SandboxFailure("crashed", f"the process exited with code {code}")


class ChannelSandbox(Sandbox):
    """A sandbox that answers through a channel with ``exchange``: the shared
    rule that any failure kills it for good. Subclasses set ``_channel`` and
    say how to kill everything (``_kill``) and how it ended (``_exit_failure``)."""

    _dead: SandboxFailure | None = None

    def request(self, message: dict, timeout: float) -> dict:
        if self._dead is not None:
            raise self._dead
        try:
            return self._channel.exchange(message, timeout)
        except TimeoutError:
            self._die(SandboxFailure("timeout", f"no answer within {timeout:g} s", step=self._channel.started_step))
        except Closed:
            self._die(self._exit_failure())
        except SandboxFailure as failure:
            self._die(failure)
        raise AssertionError("unreachable")

    def _die(self, failure: SandboxFailure) -> None:
        self._dead = failure
        self._kill()
        raise failure

    def _kill(self) -> None:
        raise NotImplementedError

    def _exit_failure(self) -> SandboxFailure:
        raise NotImplementedError
