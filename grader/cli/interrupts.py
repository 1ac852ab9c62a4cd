"""Ctrl-C always stops the grader with exit code 130.

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
import sys
import time
from typing import Iterator

EXIT_INTERRUPTED = 130
REDELIVERY_DELAY = 0.01   # seconds: long enough for the hook to have returned


def _interrupt_main_soon() -> None:
    time.sleep(REDELIVERY_DELAY)
    _thread.interrupt_main()    # raised in the main thread at its next bytecode


@contextlib.contextmanager
def redeliver_lost_interrupts() -> Iterator[None]:
    previous = sys.unraisablehook

    def hook(unraisable) -> None:
        if unraisable.exc_type is not None and issubclass(unraisable.exc_type, KeyboardInterrupt):
            # From another thread, once this hook has returned (a threading.Thread
            # would make the hook wait for it to start, and be interrupted there).
            _thread.start_new_thread(_interrupt_main_soon, ())
            return
        previous(unraisable)

    sys.unraisablehook = hook
    try:
        yield
    finally:
        sys.unraisablehook = previous


def exit_interrupted(err) -> None:
    """Say so, run the exit handlers (they remove Docker containers), exit 130."""
    err.print("Interrupted.")
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(EXIT_INTERRUPTED)
