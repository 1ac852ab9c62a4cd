"""thread-safe-counter's helpers inside the sandbox (sent with the import,
registered by name in FIXTURES). Standard library only.

``run_threads`` runs the submission's methods in real threads and forces
their interleaving: every worker thread traces the opcodes of the
submission's own code (frames whose file lies in the submission's folder)
and, before each of them that another thread could see or be seen by (all
but local-variable, constant and stack operations: _LOCAL_OPCODES), hands a
baton to the next thread in turn, so the threads advance one such bytecode
at a time, round robin. (A switch before a purely local bytecode would
change no outcome: it is the same schedule as a switch before the next
shared one, and skipping it halves the switches.) A lock-free
``self._value += 1`` then loses updates on every run, not by luck: all the
threads read the old value before any of them writes the new one.

Locks take part in the schedule: ``before_import`` makes ``threading.Lock``,
``threading.RLock`` and the lock that ``threading.Condition`` waits on
cooperative. For any other thread they are the real thing; a worker thread
that would block on one leaves the round robin until a release (through the
same wrapper) wakes it, and then takes its turn to try again. A release
wakes one worker, the one blocked longest (the others could only find the
lock taken again), so who gets a lock next is decided by the schedule,
never by the OS. A baton holder that
makes no progress for ``PATIENCE`` seconds (``CALL_PATIENCE`` inside a call:
blocked somewhere else, or descheduled) loses the baton and runs on without
it until its next traced bytecode. Threads that have not returned by the
deadline are reported as such (a deadlock): they are left blocked (daemon
threads, on the real locks from then on) and the report says which calls
they were in.

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
CALL_PATIENCE = 0.002     # the same while the holder is inside a call (which may block)
MAX_THREADS = 12          # the sandbox caps processes (threads count) at 32
MAX_CALLS = 2000
STACK_SIZE = 512 << 10    # bytes of stack per worker thread
METHODS = ("increment", "decrement", "add_if_below", "value")

_CALL_NAMES = ("CALL", "CALL_FUNCTION", "CALL_FUNCTION_KW", "CALL_FUNCTION_EX", "CALL_METHOD", "CALL_KW",
               "BEFORE_WITH", "BEFORE_ASYNC_WITH", "SETUP_WITH", "WITH_EXCEPT_START", "IMPORT_NAME")
_CALL_OPCODES = frozenset(dis.opmap[name] for name in _CALL_NAMES if name in dis.opmap)
# Bytecodes that touch nothing but their own frame (its local variables, constants and value stack) and call
# no code: another thread cannot see them or be seen by them, so a switch before them changes no outcome and
# the runner does not make one. Before every other bytecode (attribute, item, global and cell access, calls,
# arithmetic and tests that may run a shared object's methods) it does.
_LOCAL_NAMES = ("NOP", "RESUME", "CACHE", "EXTENDED_ARG", "LOAD_FAST", "LOAD_FAST_CHECK", "LOAD_FAST_AND_CLEAR",
                "LOAD_FAST_LOAD_FAST", "STORE_FAST", "STORE_FAST_LOAD_FAST", "STORE_FAST_STORE_FAST", "LOAD_CONST",
                "POP_TOP", "END_FOR", "PUSH_NULL", "COPY", "SWAP", "PRECALL", "KW_NAMES", "IS_OP",
                "JUMP_FORWARD", "JUMP_BACKWARD", "JUMP_BACKWARD_NO_INTERRUPT", "JUMP", "JUMP_NO_INTERRUPT",
                "POP_JUMP_IF_NONE", "POP_JUMP_IF_NOT_NONE", "POP_JUMP_FORWARD_IF_NONE", "POP_JUMP_BACKWARD_IF_NONE",
                "POP_JUMP_FORWARD_IF_NOT_NONE", "POP_JUMP_BACKWARD_IF_NOT_NONE", "RETURN_VALUE", "RETURN_CONST")
_LOCAL_OPCODES = frozenset(dis.opmap[name] for name in _LOCAL_NAMES if name in dis.opmap)
_EXTENDED_ARG = dis.opmap["EXTENDED_ARG"]

_real_allocate_lock = _thread.allocate_lock
_real_rlock = threading.RLock
_get_ident = _thread.get_ident
_monotonic = time.monotonic
_SEATS = {}               # thread ident -> (baton, index) while a run's worker thread runs
_WAKE = _real_allocate_lock()   # guards every cooperative lock's list of blocked workers


class _Baton:
    """Who may run: one thread at a time while they execute traced code.

    Per thread a state: "waiting" (for the baton, blocked on its own go
    lock), "running" (holds the baton), "blocked" (on a cooperative lock,
    until it is released), "out" (runs without the baton: moved on for want
    of progress), "done". ``moves`` counts baton moves, so a waiter can tell
    a holder that makes no progress."""

    def __init__(self, count):
        self.mutex = _real_allocate_lock()
        self.go = [_real_allocate_lock() for _ in range(count)]
        for lock in self.go:
            lock.acquire()
        self.state = ["new"] * count
        self.in_call = [False] * count
        self.blocked_on = [None] * count    # the cooperative lock a "blocked" thread waits for
        self.holder = None
        self.moves = 0
        self.arrived = 0
        self.started = False
        self.abandoned = False      # past the deadline: blocked workers block on the real lock
        self.all_arrived = _real_allocate_lock()
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

    def start(self, ends):
        """Once every thread waits: the first one runs."""
        if not self.all_arrived.acquire(True, max(0.0, ends - _monotonic())):
            raise RuntimeError("the worker threads did not start")
        with self.mutex:
            self.started = True
            self._give(0)

    def switch(self, me, calling):
        """Before a traced bytecode: pass the baton on and wait for a turn."""
        with self.mutex:
            if self.holder == me:
                following = self._next_waiting(me)
                if following is None:       # nobody else is ready: run on
                    self.in_call[me] = calling
                    return
                self.state[me] = "waiting"
                self._give(following)
            else:                           # moved on for want of progress: back in turn
                self.state[me] = "waiting"
                if self.holder is None:
                    self._give(me)
        self._wait(me)
        self.in_call[me] = calling

    def block(self, me, lock):
        """Under _WAKE: out of turn until unblock (``lock`` is released)."""
        with self.mutex:
            self.state[me] = "blocked"
            self.blocked_on[me] = lock
            if self.holder == me:
                self._give(self._next_waiting(me))

    def unblock(self, me, lock):
        """Under _WAKE: ``lock`` was released: back in turn if ``me`` still
        waits for it. False for a stale entry (``me`` gave up on it, or
        waits for another lock now, or the run is over), so that the release
        wakes a thread that does wait for it."""
        with self.mutex:
            if self.abandoned or self.state[me] != "blocked" or self.blocked_on[me] is not lock:
                return False
            self.state[me] = "waiting"
            if self.holder is None:
                self._give(me)
            return True

    def leave(self, me):
        with self.mutex:
            self.state[me] = "done"
            if self.holder == me:
                self._give(self._next_waiting(me))

    def _wait(self, me, ends=None):
        """Until ``me`` holds the baton, moving it on from a holder that
        makes no progress; a worker blocked on a lock until ``ends`` at most
        (the timeout of its acquire), then out of turn."""
        go = self.go[me]
        while not self.abandoned:
            seen = self.moves
            holder = self.holder
            patience = CALL_PATIENCE if holder is not None and self.in_call[holder] else PATIENCE
            if ends is not None:
                patience = max(0.0, min(patience, ends - _monotonic()))
            if go.acquire(True, patience):
                return
            if ends is not None and _monotonic() >= ends:
                with self.mutex:
                    if self.state[me] == "blocked":
                        self.state[me] = "out"
                        return
            with self.mutex:
                holder = self.holder
                if self.started and self.moves == seen and holder != me and self.state[me] in ("waiting", "blocked"):
                    if holder is not None:
                        self.state[holder] = "out"
                    following = self._next_waiting(me if holder is None else holder)
                    if following is not None:
                        self._give(following)
                    elif holder is not None:
                        self.holder = None
                        self.moves += 1


class _CooperativeLock:
    """threading.Lock (or RLock, around ``real``) that a worker thread of a
    run waits for in turn instead of in the OS; the real lock otherwise."""

    def __init__(self, real):
        self._real = real
        self._blocked = []          # (baton, index) of the workers waiting for a release

    def acquire(self, blocking=True, timeout=-1):
        seat = _SEATS.get(_get_ident()) if blocking else None
        if seat is None or seat[0].abandoned:
            return self._real.acquire(blocking, timeout)
        baton, me = seat
        ends = None if timeout is None or timeout < 0 else _monotonic() + timeout
        while True:
            with _WAKE:
                if self._real.acquire(False):
                    return True
                if ends is not None and _monotonic() >= ends:
                    return False
                self._blocked.append(seat)
                baton.block(me, self)
            baton._wait(me, ends)
            if baton.abandoned:
                return self._real.acquire(True, -1 if ends is None else max(0.0, ends - _monotonic()))

    def release(self):
        self._real.release()
        self._wake()

    def _wake(self):
        with _WAKE:
            while self._blocked:
                baton, me = self._blocked.pop(0)
                if baton.unblock(me, self):
                    return

    def locked(self):
        return self._real.locked()

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc_info):
        self.release()

    def _at_fork_reinit(self):
        self._real._at_fork_reinit()
        self._blocked = []

    def __repr__(self):
        return repr(self._real)


class _CooperativeRLock(_CooperativeLock):
    """The RLock methods threading.Condition uses, made cooperative too."""

    def _is_owned(self):
        return self._real._is_owned()

    def _release_save(self):
        state = self._real._release_save()
        self._wake()
        return state

    def _acquire_restore(self, state):
        count = state[0]
        self.acquire()
        for _ in range(count - 1):
            self._real.acquire()


def _cooperative_lock():
    return _CooperativeLock(_real_allocate_lock())


def _cooperative_rlock(*args, **kwargs):
    return _CooperativeRLock(_real_rlock(*args, **kwargs))


def before_import(agent):
    """Make the submission's locks (and Condition's waiter locks) cooperative."""
    threading.Lock = _cooperative_lock
    threading.RLock = _cooperative_rlock
    threading._allocate_lock = _cooperative_lock


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


def _abandon(baton):
    """Past the deadline (or a thread that could not start): the baton is no
    more; the waiters are woken and wait on the real locks from now on."""
    baton.abandoned = True
    for go in baton.go:
        try:
            go.release()
        except RuntimeError:    # not held: that thread was not waiting
            pass


def _ask_for_opcode_events():
    """CPython 3.12 sends opcode events only to a sys.settrace set after
    some frame has asked for them (f_trace_opcodes): without this, before the
    workers set theirs, the first worker of a process's first run went
    untraced. The frame that asks never runs: a running one with no trace
    function would have early 3.12s call a missing one (a crash)."""
    idle = (None for _ in ())
    idle.gi_frame.f_trace_opcodes = True
    idle.close()


def _switch_offsets(code):
    """The offsets of ``code``'s shared bytecodes and of its calls. An
    EXTENDED_ARG takes the kind of the bytecode it extends: CPython 3.11
    traces the first EXTENDED_ARG of a run but not the bytecode after it, so
    the switch before a shared one must happen there (3.12 traces both)."""
    shared, calls = set(), set()
    prefix = None                   # offset of the run of EXTENDED_ARGs before this bytecode
    for ins in dis.get_instructions(code):
        if ins.opcode == _EXTENDED_ARG:
            prefix = ins.offset if prefix is None else prefix
            continue
        offsets = (ins.offset,) if prefix is None else (prefix, ins.offset)
        prefix = None
        if ins.opcode not in _LOCAL_OPCODES:
            shared.update(offsets)
        if ins.opcode in _CALL_OPCODES:
            calls.update(offsets)
    return frozenset(shared), frozenset(calls)


def fixture_run_threads(agent, counter, plan, deadline=1.5):
    """Run ``plan`` against ``counter``: one real thread per list of calls
    (``[method, arg, ...]``; method "value" reads the property), forcing a
    thread switch before every shared bytecode of the submission's code. Returns one
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
            found = _switch_offsets(code)
            call_offsets[code] = found
        return found

    def worker(me):
        def local(frame, event, arg):
            if event == "opcode":
                shared, calls = offsets_of(frame.f_code)
                if frame.f_lasti in shared:
                    baton.switch(me, frame.f_lasti in calls)
                else:
                    baton.in_call[me] = False
            return local

        def tracer(frame, event, arg):
            filename = frame.f_code.co_filename
            if type(filename) is str and filename.startswith(folder):
                frame.f_trace = local   # before asking: 3.13 starts a frame's opcode events only if it has one
                frame.f_trace_lines = False
                frame.f_trace_opcodes = True
                return local
            return None

        _SEATS[_get_ident()] = (baton, me)
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
            _SEATS.pop(_get_ident(), None)
            baton.leave(me)

    _ask_for_opcode_events()
    threads = [threading.Thread(target=worker, args=(me,), daemon=True, name="counter-worker-%d" % me)
               for me in range(len(plan))]
    # Small stacks: under the sandbox's address-space limit the default 8 MiB a thread fails at the fifth.
    saved_stack_size = threading.stack_size(STACK_SIZE)
    ends = time.monotonic() + float(deadline)
    try:
        for thread in threads:
            thread.start()
        baton.start(ends)
    except BaseException:
        _abandon(baton)         # the threads that did start run free, and end
        raise
    finally:
        threading.stack_size(saved_stack_size)
    for thread in threads:
        thread.join(max(0.0, ends - time.monotonic()))
    if any(thread.is_alive() for thread in threads):
        agent.scratch["left_running"] = True
        _abandon(baton)
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
