"""Nothing is left behind: a grader ended by SIGTERM, SIGHUP, SIGABRT or
Ctrl-C removes its sandbox's temporary folder, processes and containers and
exits 128 + the signal's number (130 for Ctrl-C); ``grader cleanup`` removes
the folders of graders that are gone, and only those.

Every grader here runs with TMPDIR set to a private folder of the test, so
the checks never look at (or touch) what other graders on this machine own.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from grader.sandbox import scratch

ROOT = Path(__file__).resolve().parents[1]
SLOW = "import time\n\n\ndef reverse_string(s):\n    time.sleep(5)\n    return s[::-1]\n"
KEEP = {"grader-uids"}      # uid lock files, which stay by design (now in /run/lock, see identity.py)
SIGNAL_PREEXEC = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGABRT)


def _default_signals() -> None:
    # A test runner started in the background or under nohup passes SIGINT or
    # SIGHUP on as ignored, and Python (rightly) keeps ignoring them.
    for signum in SIGNAL_PREEXEC:
        signal.signal(signum, signal.SIG_DFL)


def _environment(tmpdir: Path, **extra: str) -> dict:
    return dict(os.environ, TMPDIR=str(tmpdir), NO_COLOR="1", PYTHONPATH=str(ROOT), **extra)


def _grader(tmpdir: Path, *args: str, **extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "grader", *args], cwd=ROOT, env=_environment(tmpdir, **extra),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=_default_signals)


def _slow_submission(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "solution.py").write_text(SLOW)
    return folder


def _private_tmp(tmp_path: Path) -> Path:
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    return tmpdir


def _leftovers(tmpdir: Path) -> list[str]:
    return sorted(entry.name for entry in tmpdir.iterdir() if entry.name not in KEEP)


def _sandbox_folders(tmpdir: Path) -> list[str]:
    return sorted(entry.name for entry in tmpdir.iterdir() if entry.name.startswith("grader-sandbox-"))


def _stat(pid: int) -> list[bytes] | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read()
    except OSError:
        return b""


def _all_pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _sandbox_processes(marker: str, grader_pid: int) -> set[tuple[int, bytes]]:
    """(pid, start time) of every live process whose command line names the
    test's private TMPDIR (the sandbox: bubblewrap or the agent itself), and
    of every descendant of those."""
    children: dict[int, list[int]] = {}
    marked = []
    for pid in _all_pids():
        fields = _stat(pid)
        if fields is None or fields[0] in (b"Z", b"X"):
            continue
        children.setdefault(int(fields[1]), []).append(pid)
        if pid != grader_pid and marker.encode() in _cmdline(pid):
            marked.append(pid)
    found, stack = set(), list(marked)
    while stack:
        pid = stack.pop()
        fields = _stat(pid)
        if fields is not None and fields[0] not in (b"Z", b"X"):
            found.add((pid, fields[19]))
        stack.extend(children.get(pid, []))
    return found


def _still_alive(processes: set[tuple[int, bytes]]) -> set[tuple[int, bytes]]:
    alive = set()
    for pid, start in processes:
        fields = _stat(pid)
        if fields is not None and fields[0] not in (b"Z", b"X") and fields[19] == start:
            alive.add((pid, start))
    return alive


def _wait_for(condition, process: subprocess.Popen, what: str, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if process.poll() is not None:
            raise AssertionError(f"the grader ended before {what}: {process.stderr.read().decode()[-2000:]}")
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def _assert_nothing_survives(marker: str, seen: set, grader_pid: int) -> None:
    deadline = time.monotonic() + 3      # a killed namespace's processes take a moment to go
    while (_still_alive(seen) or _sandbox_processes(marker, grader_pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _still_alive(seen), "sandbox processes survived the grader"
    assert not _sandbox_processes(marker, grader_pid), "sandbox processes survived the grader"


EXIT_CODES = [pytest.param(signal.SIGTERM, 143, id="SIGTERM"), pytest.param(signal.SIGHUP, 129, id="SIGHUP"),
              pytest.param(signal.SIGABRT, 134, id="SIGABRT"), pytest.param(signal.SIGINT, 130, id="SIGINT")]


# -- one grade (submit) ended by a signal ------------------------------------------------

@pytest.mark.parametrize("signum, code", EXIT_CODES)
def test_a_signal_mid_grade_leaves_no_folder_and_no_process(tmp_path, signum, code):
    tmpdir = _private_tmp(tmp_path)
    folder = _slow_submission(tmp_path / "slow")
    process = _grader(tmpdir, "submit", str(folder), "--challenge", "reverse-string", "--sandbox", "process",
                      "--no-complexity")
    try:
        _wait_for(lambda: _sandbox_folders(tmpdir), process, "a sandbox folder appeared")
        seen = _wait_for(lambda: _sandbox_processes(str(tmpdir), process.pid), process, "the sandbox started")
        time.sleep(0.5)         # in the middle of the first (five-second) call
        seen |= _sandbox_processes(str(tmpdir), process.pid)
        process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == code, (process.returncode, stderr.decode()[-2000:])
    assert b"Traceback" not in stderr, stderr.decode()[-2000:]
    assert _leftovers(tmpdir) == [], "left behind in TMPDIR"
    _assert_nothing_survives(str(tmpdir), seen, process.pid)


def _own_containers(pid: int) -> list:
    from grader.sandbox import docker as docker_sandbox
    return docker_sandbox.connect().api.containers(all=True, filters={"label": [
        f"{docker_sandbox.LABEL}=1", f"grader.pid={pid}", f"grader.host={socket.gethostname()}"]})


def test_sigterm_mid_docker_grade_leaves_no_container_and_no_folder(tmp_path):
    from tests.conftest import docker_backend_or_skip
    image = docker_backend_or_skip().image
    tmpdir = _private_tmp(tmp_path)
    folder = _slow_submission(tmp_path / "slow")
    process = _grader(tmpdir, "submit", str(folder), "--challenge", "reverse-string", "--sandbox", "docker",
                      "--image", image, "--no-complexity")
    try:
        _wait_for(lambda: _own_containers(process.pid), process, "a container was started", seconds=90)
        time.sleep(1.0)
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 143, (process.returncode, stderr.decode()[-2000:])
    assert _own_containers(process.pid) == []
    assert _leftovers(tmpdir) == []


# -- a batch (grade) ended by a signal ---------------------------------------------------

def _slow_batch(tmp_path: Path, tmpdir: Path) -> subprocess.Popen:
    """`grader grade` of two slow submissions (different code), two workers."""
    subs = [_slow_submission(tmp_path / "subs" / f"slow-{index}") for index in range(2)]
    for index, folder in enumerate(subs):
        (folder / "solution.py").write_text(SLOW + f"# {index}\n")
    return _grader(tmpdir, "grade", *map(str, subs), "--challenge", "reverse-string", "--sandbox", "process",
                   "--no-complexity", "--jobs", "2", "--db", str(tmp_path / "results.db"))


@pytest.mark.parametrize("signum, to_group, codes", [
    # run.py turns SIGTERM into a plain KeyboardInterrupt during the batch (130); 143 is the convention.
    pytest.param(signal.SIGTERM, False, (130, 143), id="SIGTERM-to-the-grader"),
    pytest.param(signal.SIGTERM, True, (130, 143), id="SIGTERM-to-the-process-group"),
    pytest.param(signal.SIGHUP, True, (129,), id="SIGHUP-to-the-process-group"),   # a closed terminal
])
def test_a_signal_mid_batch_leaves_no_folder_and_no_process(tmp_path, signum, to_group, codes):
    tmpdir = _private_tmp(tmp_path)
    process = _slow_batch(tmp_path, tmpdir)
    try:
        _wait_for(lambda: len(_sandbox_folders(tmpdir)) >= 2, process, "both workers started a sandbox",
                  seconds=90)
        seen = _wait_for(lambda: _sandbox_processes(str(tmpdir), process.pid), process, "the sandboxes started")
        time.sleep(0.5)
        seen |= _sandbox_processes(str(tmpdir), process.pid)
        if to_group:
            os.killpg(process.pid, signum)
        else:
            process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=90)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    assert process.returncode in codes, (process.returncode, stderr.decode()[-2000:])
    assert _leftovers(tmpdir) == [], "left behind in TMPDIR"
    _assert_nothing_survives(str(tmpdir), seen, process.pid)


def test_ctrl_c_mid_batch_stops_within_seconds_and_says_interrupted_once(tmp_path):
    """As a terminal's Ctrl-C: SIGINT to the whole group. It took about 10 s
    and printed "Interrupted." twice (issue 13 item 8)."""
    tmpdir = _private_tmp(tmp_path)
    process = _slow_batch(tmp_path, tmpdir)
    try:
        _wait_for(lambda: len(_sandbox_folders(tmpdir)) >= 2, process, "both workers started a sandbox",
                  seconds=90)
        seen = _wait_for(lambda: _sandbox_processes(str(tmpdir), process.pid), process, "the sandboxes started")
        interrupted = time.monotonic()
        os.killpg(process.pid, signal.SIGINT)
        stdout, stderr = process.communicate(timeout=90)
        took = time.monotonic() - interrupted
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    text = stderr.decode()
    assert process.returncode == 130, text[-2000:]
    assert text.count("Interrupted") == 1 and "run the same command again" in text, text[-2000:]
    assert took < 5, f"{took:.1f} s to stop"
    assert _leftovers(tmpdir) == [], "left behind in TMPDIR"
    _assert_nothing_survives(str(tmpdir), seen, process.pid)


def _worker_of(pid: int, grader_pid: int) -> int | None:
    """The batch worker (a child of the grader) that ``pid`` descends from."""
    while pid > 1:
        fields = _stat(pid)
        if fields is None:
            return None
        parent = int(fields[1])
        if parent == grader_pid:
            return pid
        pid = parent
    return None


def test_a_killed_worker_leaves_no_folder_of_its_own(tmp_path):
    """A worker killed mid-run (as one that does not stop in time is) left
    the harness's grader-pytest-* folder in TMPDIR: only folders named after
    their process are found stale and removed."""
    tmpdir = _private_tmp(tmp_path)
    process = _slow_batch(tmp_path, tmpdir)
    try:
        seen = _wait_for(lambda: _sandbox_processes(str(tmpdir), process.pid), process, "the sandboxes started",
                         seconds=90)
        worker = next(filter(None, (_worker_of(pid, process.pid) for pid, _ in seen)))
        time.sleep(1.0)                         # in its first five-second call: the harness's folder exists
        os.kill(worker, signal.SIGKILL)
        time.sleep(0.5)
        process.send_signal(signal.SIGTERM)     # the batch ends: the killed worker's folders must go too
        process.communicate(timeout=90)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    assert _leftovers(tmpdir) == [], "left behind in TMPDIR"


def _ignores_sigterm() -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    time.sleep(60)


def test_a_worker_that_does_not_stop_is_killed_and_its_leftovers_removed(monkeypatch):
    """A worker stuck closing its sandbox (a slow Docker engine) must not hold Ctrl-C up."""
    import multiprocessing
    import types

    from grader.batch import run
    removed = []
    monkeypatch.setattr(run, "_remove_leftovers", lambda sandbox, workers: removed.append((sandbox, workers)))
    stuck = multiprocessing.get_context("spawn").Process(target=_ignores_sigterm)
    stuck.start()
    time.sleep(1.0)     # its handler is in place
    started = time.monotonic()
    run.stop_workers(types.SimpleNamespace(_processes={stuck.pid: stuck}), "docker", {stuck.pid})
    assert time.monotonic() - started < run.STOP_GRACE_SECONDS + 2
    assert not stuck.is_alive()
    assert removed == [("docker", {stuck.pid})]


# -- the exit codes, deterministically ---------------------------------------------------

@pytest.mark.parametrize("signum, code, message", [
    (signal.SIGTERM, 143, "Interrupted by SIGTERM."), (signal.SIGHUP, 129, "Interrupted by SIGHUP."),
    (signal.SIGABRT, 134, "Interrupted by SIGABRT."), (signal.SIGINT, 130, "Interrupted.")])
def test_each_signal_unwinds_and_exits_128_plus_its_number(tmp_path, signum, code, message):
    module = tmp_path / "grader_signalled.py"
    module.write_text(textwrap.dedent(f"""
        import os
        import time

        import click

        from grader.cli import main as grader_main


        @click.command()
        def extra():
            try:
                os.kill(os.getpid(), {int(signum)})
                for _ in range(500):
                    time.sleep(0.01)
                print("finished")
            finally:
                print("unwound")


        grader_main.cli.add_command(extra)
        grader_main.main(["extra"])
        """))
    result = subprocess.run([sys.executable, "-m", module.stem], cwd=tmp_path, capture_output=True, text=True,
                            timeout=60, env=dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1"),
                            preexec_fn=_default_signals)
    assert result.returncode == code, (result.returncode, result.stderr)
    assert "unwound" in result.stdout and "finished" not in result.stdout
    assert result.stderr.strip() == message


def test_a_sigterm_lost_in_a_weakref_callback_is_raised_again(tmp_path):
    # As a Ctrl-C can (tests/test_interrupts.py), a SIGTERM can land where Python cannot
    # raise; it is raised again as itself, also where SIGINT is ignored (a background job).
    module = tmp_path / "grader_lost_sigterm.py"
    module.write_text(textwrap.dedent("""
        import os
        import signal
        import time
        import weakref

        import click

        from grader.cli import main as grader_main


        class Thing:
            pass


        def terminated(reference):
            os.kill(os.getpid(), signal.SIGTERM)
            for _ in range(1000):       # the handler runs (and raises) in here
                pass


        @click.command()
        def extra():
            thing = Thing()
            watcher = weakref.ref(thing, terminated)
            del thing
            for _ in range(500):
                time.sleep(0.01)
            print("finished")


        grader_main.cli.add_command(extra)
        grader_main.main(["extra"])
        """))

    def preexec():
        _default_signals()
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    result = subprocess.run([sys.executable, "-m", module.stem], cwd=tmp_path, capture_output=True, text=True,
                            timeout=60, env=dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1"),
                            preexec_fn=preexec)
    assert result.returncode == 143, (result.returncode, result.stderr)
    assert "finished" not in result.stdout
    assert "Exception ignored" not in result.stderr and result.stderr.strip() == "Interrupted by SIGTERM."


def test_an_ignored_hangup_stays_ignored(tmp_path):
    # `nohup grader grade ...` must keep grading when the terminal closes.
    module = tmp_path / "grader_nohup.py"
    module.write_text(textwrap.dedent("""
        import os
        import signal

        import click

        from grader.cli import main as grader_main


        @click.command()
        def extra():
            os.kill(os.getpid(), signal.SIGHUP)
            print("finished")


        grader_main.cli.add_command(extra)
        grader_main.main(["extra"])
        """))
    result = subprocess.run([sys.executable, "-m", module.stem], cwd=tmp_path, capture_output=True, text=True,
                            timeout=60, env=dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1"),
                            preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN))
    assert result.returncode == 0 and "finished" in result.stdout, result.stderr


# -- the registry and removal ------------------------------------------------------------

def test_a_folder_carries_its_owner_and_the_exit_handler_removes_it(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    closed = []
    root = scratch.create(close=lambda: closed.append(True))
    pid, start = scratch.NAME.match(root.name).groups()
    assert root.parent == tmp_path
    assert int(pid) == os.getpid() and int(start) == scratch.process_start_time(os.getpid())
    assert scratch.owner_alive(int(pid), int(start))
    (root / "file").write_text("x")
    scratch.remove_all()
    assert closed == [True] and not root.exists()
    scratch.remove_all()            # nothing registered any more: nothing runs twice
    assert closed == [True]


def _awkward_tree(root: Path) -> None:
    """What a sandbox may leave: read-only files and folders, an unreadable
    folder, a link out of the tree, files of a sandbox uid."""
    (root / "tmp" / "deep").mkdir(parents=True)
    (root / "tmp" / "deep" / "file").write_text("x")
    (root / "tmp" / "readonly-file").write_text("x")
    os.chmod(root / "tmp" / "readonly-file", 0o400)
    (root / "tmp" / "unreadable").mkdir()
    (root / "tmp" / "unreadable" / "file").write_text("x")
    (root / "tmp" / "outside").symlink_to(root.parent)
    if os.geteuid() == 0:
        for path in [root / "tmp", *(root / "tmp").rglob("*")]:
            os.lchown(path, 61000, 61000)
    os.chmod(root / "tmp" / "unreadable", 0)
    os.chmod(root / "tmp" / "deep", 0o500)
    os.chmod(root / "tmp", 0o500)


def test_removal_gets_through_read_only_modes_and_foreign_owners(tmp_path):
    root = tmp_path / "grader-sandbox-1-2-abcdefgh"
    root.mkdir()
    _awkward_tree(root)
    assert scratch.remove_tree(root)
    assert not root.exists() and tmp_path.exists()


# -- grader cleanup ----------------------------------------------------------------------

NO_DOCKER = {"DOCKER_HOST": "unix:///nonexistent/grader-test-docker.sock"}


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_cleanup_removes_only_the_folders_of_graders_that_are_gone(tmp_path):
    tmpdir = _private_tmp(tmp_path)
    me, my_start = os.getpid(), scratch.process_start_time(os.getpid())
    dead = tmpdir / f"grader-sandbox-{_dead_pid()}-12345-deadbeef"
    reused = tmpdir / f"grader-sandbox-{me}-{my_start + 1}-pidreuse"    # our pid, another process's start
    live = tmpdir / f"grader-sandbox-{me}-{my_start}-livelive"
    unrelated = tmpdir / "something-else"
    older = tmpdir / "grader-sandbox-q1w2e3r4"                       # no owner in the name: kept
    for folder in (dead, reused, live, unrelated, older):
        (folder / "submission").mkdir(parents=True)
        (folder / "submission" / "solution.py").write_text(SLOW)
    _awkward_tree(dead)
    # Docker is made unreachable: this must not touch the containers of other graders on this engine.
    result = subprocess.run([sys.executable, "-m", "grader", "cleanup"], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, env=_environment(tmpdir, **NO_DOCKER))
    assert result.returncode == 0, (result.stdout, result.stderr)
    assert not dead.exists() and not reused.exists()
    assert live.is_dir() and unrelated.is_dir() and older.is_dir()
    assert dead.name in result.stdout and reused.name in result.stdout
    assert "Docker" in result.stdout + result.stderr and "not reachable" in result.stdout + result.stderr
    assert older.name in result.stdout + result.stderr, "the folder of unknown owner is named"
    again = subprocess.run([sys.executable, "-m", "grader", "cleanup"], cwd=ROOT, capture_output=True, text=True,
                           timeout=120, env=_environment(tmpdir, **NO_DOCKER))
    assert again.returncode == 0 and "No stale sandbox folder" in again.stdout, (again.stdout, again.stderr)
    assert live.is_dir()


def test_cleanup_dry_run_names_what_it_would_remove_and_removes_nothing(tmp_path):
    tmpdir = _private_tmp(tmp_path)
    dead = tmpdir / f"grader-sandbox-{_dead_pid()}-12345-deadbeef"
    (dead / "submission").mkdir(parents=True)
    result = subprocess.run([sys.executable, "-m", "grader", "cleanup", "--dry-run"], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, env=_environment(tmpdir, **NO_DOCKER))
    assert result.returncode == 0, (result.stdout, result.stderr)
    assert "Would remove 1 stale sandbox folder" in result.stdout and dead.name in result.stdout
    assert dead.is_dir()


def test_cleanup_removes_the_folder_of_a_grader_killed_with_sigkill(tmp_path):
    tmpdir = _private_tmp(tmp_path)
    folder = _slow_submission(tmp_path / "slow")
    process = _grader(tmpdir, "submit", str(folder), "--challenge", "reverse-string", "--sandbox", "process",
                      "--no-complexity")
    try:
        _wait_for(lambda: _sandbox_folders(tmpdir), process, "a sandbox folder appeared")
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
    left = _sandbox_folders(tmpdir)
    assert left, "SIGKILL gives the grader no chance: the folder stays"
    result = subprocess.run([sys.executable, "-m", "grader", "cleanup"], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, env=_environment(tmpdir, **NO_DOCKER))
    assert result.returncode == 0, (result.stdout, result.stderr)
    assert _sandbox_folders(tmpdir) == []
    assert all(name in result.stdout for name in left)
