"""thread-safe-counter's helpers inside the sandbox (sent with the import,
registered by name in FIXTURES). Standard library only.

``run_threads`` runs the submission's methods in real threads and forces
their interleaving: every worker thread traces the opcodes of the
submission's own code (frames whose file lies in the submission's folder)
and, before each of them, hands a baton to the next thread in turn, so the
threads advance one bytecode at a time, round robin. A lock-free
``self._value += 1`` then loses updates on every run, not by luck: all the
threads read the old value before any of them writes the new one.

A thread gives the baton away (and runs on without it) before a call
(``CALL``, ``BEFORE_WITH``, ...), since a call may block on a lock that a
waiting thread holds; it takes its turn again at its next traced bytecode.
A baton holder that shows no progress for ``PATIENCE`` seconds (descheduled,
or blocked somewhere unforeseen) loses the baton the same way. Threads that
have not returned by the deadline are reported as such (a deadlock): they are
left blocked (daemon threads) and the report says which calls they were in.

Everything here runs beside the submission, so the hidden tests judge what
it reports as the submission's answers: the host's model decides.
"""

import dis
import os
import sys
import threading
import time
import _thread

PATIENCE = 0.02           # seconds without progress before the baton moves on anyway
MAX_THREADS = 12          # the sandbox caps processes (threads count) at 32
MAX_CALLS = 2000
STACK_SIZE = 512 << 10    # bytes of stack per worker thread
METHODS = ("increment", "decrement", "add_if_below", "value")

_CALL_NAMES = ("CALL", "CALL_FUNCTION", "CALL_FUNCTION_KW", "CALL_FUNCTION_EX", "CALL_METHOD", "CALL_KW",
               "BEFORE_WITH", "BEFORE_ASYNC_WITH", "SETUP_WITH", "WITH_EXCEPT_START", "IMPORT_NAME")
_CALL_OPCODES = frozenset(dis.opmap[name] for name in _CALL_NAMES if name in dis.opmap)


class _Baton:
    """Who may run: one thread at a time while they execute traced code.

    Per thread a state: "waiting" (for the baton, blocked on its own go
    lock), "running" (holds the baton), "out" (runs untraced code, or a call,
    without the baton), "done". ``moves`` counts baton moves, so a waiter can
    tell a holder that makes no progress."""

    def __init__(self, count):
        self.mutex = _thread.allocate_lock()
        self.go = [_thread.allocate_lock() for _ in range(count)]
        for lock in self.go:
            lock.acquire()
        self.state = ["new"] * count
        self.holder = None
        self.moves = 0
        self.arrived = 0
        self.started = False
        self.all_arrived = _thread.allocate_lock()
        self.all_arrived.acquire()

    def _next_waiting(self, after):
        count = len(self.state)
        for step in range(1, count + 1):
            index = (after + step) % count
            if self.state[index] == "waiting":
                return index
        return None

    def _give(self, index):
        """Under the mutex: hand the baton to ``index`` (None: to nobody)."""
        self.holder = index
        self.moves += 1
        if index is not None:
            self.state[index] = "running"
            self.go[index].release()

    def arrive(self, me):
        with self.mutex:
            self.state[me] = "waiting"
            self.arrived += 1
            if self.arrived == len(self.state):
                self.all_arrived.release()
        self._wait(me)

    def start(self):
        """Once every thread waits: the first one runs."""
        self.all_arrived.acquire()
        with self.mutex:
            self.started = True
            self._give(0)

    def switch(self, me):
        """Before a traced bytecode: pass the baton on and wait for a turn."""
        with self.mutex:
            if self.holder == me:
                following = self._next_waiting(me)
                if following is None:
                    return              # nobody else is ready: run on
                self.state[me] = "waiting"
                self._give(following)
            else:                       # back from a call, or moved on for want of progress
                self.state[me] = "waiting"
                if self.holder is None:
                    self._give(me)
        self._wait(me)

    def step_out(self, me):
        """Before a call: let the others run while it runs."""
        with self.mutex:
            if self.holder == me:
                self.state[me] = "out"
                self._give(self._next_waiting(me))

    def leave(self, me):
        with self.mutex:
            self.state[me] = "done"
            if self.holder == me:
                self._give(self._next_waiting(me))

    def _wait(self, me):
        go = self.go[me]
        while True:
            seen = self.moves
            if go.acquire(True, PATIENCE):
                return
            with self.mutex:
                holder = self.holder
                if self.started and self.moves == seen and holder != me and self.state[me] == "waiting":
                    if holder is not None:
                        self.state[holder] = "out"
                    self._give(self._next_waiting(me if holder is None else holder))


def _plain(value):
    if value is None or type(value) in (bool, int):
        return value
    try:
        return "<%s object>" % type(value).__name__
    except BaseException:  # noqa: BLE001
        return "<object>"


def _describe(exc):
    try:
        return "%s: %s" % (type(exc).__name__, str(exc)[:200])
    except BaseException:  # noqa: BLE001
        return "<an exception>"


def fixture_run_threads(agent, counter, plan, deadline=1.5):
    """Run ``plan`` against ``counter``: one real thread per list of calls
    (``[method, arg, ...]``; method "value" reads the property), forcing a
    thread switch before every bytecode of the submission's code. Returns one
    list per thread, one entry per call: ``["returned", value]``,
    ``["raised", "Type: message"]``, ``["did not return"]`` (still running at
    the deadline) or ``["not started"]``."""
    if not isinstance(plan, list) or not 1 <= len(plan) <= MAX_THREADS:
        raise ValueError("a plan is a list of 1 to %d threads" % MAX_THREADS)
    if sum(len(calls) for calls in plan) > MAX_CALLS:
        raise ValueError("at most %d calls" % MAX_CALLS)
    for calls in plan:
        for call in calls:
            if not (isinstance(call, list) and call and call[0] in METHODS):
                raise ValueError("unknown call %r" % (call,))
    folder = os.path.join(os.path.abspath(agent.workdir), "")
    baton = _Baton(len(plan))
    outcomes = [[["not started"] for _ in calls] for calls in plan]
    call_offsets = {}

    def offsets_of(code):
        found = call_offsets.get(code)
        if found is None:
            found = frozenset(ins.offset for ins in dis.get_instructions(code) if ins.opcode in _CALL_OPCODES)
            call_offsets[code] = found
        return found

    def worker(me):
        def local(frame, event, arg):
            if event == "opcode":
                if frame.f_lasti in offsets_of(frame.f_code):
                    baton.step_out(me)
                else:
                    baton.switch(me)
            return local

        def tracer(frame, event, arg):
            filename = frame.f_code.co_filename
            if type(filename) is str and filename.startswith(folder):
                frame.f_trace_opcodes = True
                frame.f_trace_lines = False
                return local
            return None

        baton.arrive(me)
        try:
            sys.settrace(tracer)
            try:
                for index, call in enumerate(plan[me]):
                    outcomes[me][index] = ["did not return"]
                    try:
                        if call[0] == "value":
                            value = counter.value
                        else:
                            value = getattr(counter, call[0])(*call[1:])
                    except BaseException as exc:  # noqa: BLE001 - reported, judged on the host
                        outcomes[me][index] = ["raised", _describe(exc)]
                    else:
                        outcomes[me][index] = ["returned", _plain(value)]
            finally:
                sys.settrace(None)
        finally:
            baton.leave(me)

    threads = [threading.Thread(target=worker, args=(me,), daemon=True, name="counter-worker-%d" % me)
               for me in range(len(plan))]
    # Small stacks: under the sandbox's address-space limit the default 8 MiB a thread fails at the fifth.
    saved_stack_size = threading.stack_size(STACK_SIZE)
    try:
        for thread in threads:
            thread.start()
    finally:
        threading.stack_size(saved_stack_size)
    baton.start()
    ends = time.monotonic() + float(deadline)
    for thread in threads:
        thread.join(max(0.0, ends - time.monotonic()))
    if any(thread.is_alive() for thread in threads):
        agent.scratch["left_running"] = True
    return [list(map(list, thread_outcomes)) for thread_outcomes in outcomes]


def fixture_read_value(agent, counter):
    """``counter.value``, read in the agent's thread; None without reading it
    after a run left threads blocked (that run's report has failed already,
    and the read could wait for their lock for ever)."""
    if agent.scratch.get("left_running"):
        return None
    return counter.value


def fixture_value_kind(agent, counter):
    """What ``value`` is on the counter's class: "property", another kind of
    class attribute (its type's name), or "not a class attribute"."""
    import inspect
    try:
        found = inspect.getattr_static(type(counter), "value")
    except AttributeError:
        return "not a class attribute"
    return "property" if isinstance(found, property) else type(found).__name__


FIXTURES = {
    "run_threads": fixture_run_threads,
    "read_value": fixture_read_value,
    "value_kind": fixture_value_kind,
}
