"""Ctrl-C always stops the grader with exit code 130; SIGTERM, SIGHUP and
SIGABRT stop it the same way, with 128 + the signal's number (143, 129, 134).

Each of those signals raises ``Terminated`` (a KeyboardInterrupt) in the
main thread, so the grader unwinds exactly as on Ctrl-C: ``finally:`` blocks
close the sandbox (its processes, its container, its temporary folder), then
``exit_interrupted`` runs the exit handlers (the backstops: Docker
containers, sandbox folders still registered) and exits. A signal ignored
when the grader started (``nohup`` ignores SIGHUP) stays ignored.

Two CPython corners made a Ctrl-C at the wrong moment (while pytest or
Hypothesis modules are being imported, a fraction of a second into a
grade) go wrong, found by sending SIGINT at random moments to
``grader submit --sandbox docker``:

- The KeyboardInterrupt lands in a weakref callback or a ``__del__``
  (importlib's module locks use both). Python cannot raise there: it reports
  the exception as "unraisable" and drops it, and the grade runs on.
  ``redeliver_lost_interrupts`` raises it again in the main thread, where
  it can propagate (again, should it land in such a place once more).
- The KeyboardInterrupt escapes an ``exec`` of source text (dataclasses build
  their methods that way). CPython then marks it "unhandled" even though
  we handle it, and under ``python -m`` ends the process by SIGINT (-2)
  instead of with our exit code. ``exit_interrupted`` leaves by
  ``os._exit`` after running the exit handlers, which that mark cannot change.
"""

from __future__ import annotations

import _thread
import atexit
import contextlib
import os
import signal
import sys
import threading
import time
from typing import Iterator

EXIT_INTERRUPTED = 130      # 128 + SIGINT
REDELIVERY_DELAY = 0.01     # seconds: long enough for the hook to have returned
TERMINATING_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGABRT)

_received: list[int] = []   # the first terminating signal received: it decides the exit code
_announced: list[str] = []  # what a command already said about the interruption


class Terminated(KeyboardInterrupt):
    """SIGTERM, SIGHUP or SIGABRT, raised where the main thread was."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _raise_terminated(signum, frame) -> None:
    if not _received:
        _received.append(signum)
    raise Terminated(signum)


def install_signal_handlers() -> None:
    """SIGTERM, SIGHUP and SIGABRT unwind like Ctrl-C (from the main thread
    only; one a parent left ignored stays ignored)."""
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in TERMINATING_SIGNALS:
        if signal.getsignal(signum) is not signal.SIG_IGN:
            signal.signal(signum, _raise_terminated)


def received_signal() -> int | None:
    """The terminating signal that stopped the grader, if one did. (The
    exception itself may not survive the way out: click turns it into Abort,
    pytest into an exit status.)"""
    return _received[0] if _received else None


def exit_code() -> int:
    received = received_signal()
    return 128 + received if received else EXIT_INTERRUPTED


def _interrupt_main_soon(signum: int = signal.SIGINT) -> None:
    time.sleep(REDELIVERY_DELAY)
    _thread.interrupt_main(signum)  # its handler runs in the main thread at its next bytecode


@contextlib.contextmanager
def redeliver_lost_interrupts() -> Iterator[None]:
    previous = sys.unraisablehook

    def hook(unraisable) -> None:
        if unraisable.exc_type is not None and issubclass(unraisable.exc_type, KeyboardInterrupt):
            # From another thread, once this hook has returned (a threading.Thread
            # would make the hook wait for it to start, and be interrupted there).
            signum = getattr(unraisable.exc_value, "signum", signal.SIGINT)
            _thread.start_new_thread(_interrupt_main_soon, (signum,))
            return
        previous(unraisable)

    sys.unraisablehook = hook
    try:
        yield
    finally:
        sys.unraisablehook = previous


def announce_interrupted(err, detail: str) -> None:
    """Say "Interrupted." with what a command can add (what was saved, how
    to resume), once: ``exit_interrupted`` then says nothing more."""
    text = (f"Interrupted by {signal.Signals(received_signal()).name}." if received_signal() else "Interrupted.")
    _announced.append(text)
    with contextlib.suppress(OSError, ValueError):
        err.print(f"{text} {detail}", soft_wrap=True, highlight=False, markup=False)


def announce_stopped(err, text: str) -> None:
    """Say ``text`` alone where Ctrl-C is the expected way out (leaving
    ``grader test --watch``), once; a terminating signal is still named."""
    received = received_signal()
    message = f"Interrupted by {signal.Signals(received).name}. {text}" if received else text
    _announced.append(message)
    with contextlib.suppress(OSError, ValueError):
        err.print(message, soft_wrap=True, highlight=False, markup=False)


def exit_interrupted(err) -> None:
    """Say so, run the exit handlers (they remove Docker containers and
    sandbox folders), exit 130 after Ctrl-C, 128 + the signal's number after
    SIGTERM, SIGHUP or SIGABRT."""
    received = received_signal()
    # Already on the way out: a repeated SIGTERM must not cut the clean-up short.
    # (A second Ctrl-C still can, for someone who will not wait for Docker.)
    if threading.current_thread() is threading.main_thread():
        for signum in TERMINATING_SIGNALS:
            with contextlib.suppress(OSError, ValueError):
                signal.signal(signum, signal.SIG_IGN)
    if not _announced:
        with contextlib.suppress(OSError, ValueError):   # after SIGHUP the terminal may be gone
            err.print(f"Interrupted by {signal.Signals(received).name}." if received else "Interrupted.")
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(exit_code())
