"""The process sandbox on its own: protocol, limits, isolation, cleanup."""

from __future__ import annotations

import os
import shutil
import signal
import time

import pytest

from grader.agent.agent import decode, encode
from grader.constants import OUTPUT_CAP_BYTES
from grader.sandbox.base import SandboxFailure
from tests.conftest import call_in as call, start_sandbox as start



def test_a_whole_program_is_one_round_trip_and_keeps_objects(backend):
    sandbox = start(backend, "class Box:\n    def __init__(self):\n        self.items = []\n"
                             "    def add(self, x):\n        self.items.append(x)\n        return len(self.items)\n")
    with sandbox:
        steps = [{"name": "Box", "bind": "b"}] + [{"name": "add", "target": "b", "args": encode([i])} for i in range(5)]
        reply = sandbox.request({"op": "run", "steps": steps}, 5)
        assert [decode(r["value"]) for r in reply["results"][1:]] == [1, 2, 3, 4, 5]


def test_environment_is_scrubbed(backend, monkeypatch):
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "do-not-leak")
    with start(backend, "import os\ndef env():\n    return dict(os.environ)\n") as sandbox:
        env = call(sandbox, "env")
    assert "AWS_SECRET_ACCESS_KEY" not in env
    assert set(env) <= {"PATH", "HOME", "LANG", "TMPDIR", "LC_CTYPE", "PWD", "MALLOC_MMAP_THRESHOLD_"}


def test_deadline_is_kept_by_the_host_whatever_the_code_does(backend):
    with start(backend, "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
                        "def spin():\n    while True:\n        time.sleep(0)\n") as sandbox:
        started = time.monotonic()
        with pytest.raises(SandboxFailure) as failure:
            call(sandbox, "spin", timeout=0.5)
        assert failure.value.kind == "timeout"
        assert time.monotonic() - started < 2.0
        with pytest.raises(SandboxFailure):  # dead after a failure
            call(sandbox, "spin")


def test_output_is_captured_and_capped(backend):
    source = "import sys\ndef flood():\n    for _ in range(4):\n        sys.stdout.write('y' * (1 << 20))\n    return 1\n"
    with start(backend, source) as sandbox:
        assert call(sandbox, "flood") == 1
        sandbox.close()
        output = sandbox.output()
    assert len(output) < OUTPUT_CAP_BYTES + 200
    assert "output cut" in output


def test_captured_output_keeps_its_start_and_end_within_the_cap_on_the_host():
    from grader.sandbox.channel import CappedOutput
    captured = CappedOutput(cap=100)
    for number in range(10_000):
        captured.feed(b"%07d\n" % number)
    captured.feed(b"z" * (8 << 20) + b"the end\n")
    text = captured.text()
    assert len(text) < 200      # what the sandbox sends is only counted, never held
    assert text.startswith("0000000\n0000001\n") and text.endswith("zzzthe end\n")
    assert "\n…[output cut here: %s bytes not kept]…\n" % f"{80_000 + (8 << 20) + 8 - 100:,}" in text


def test_a_cut_output_in_a_report_keeps_the_import_time_print_and_says_where_the_cut_is(adder, tmp_path):
    """The report kept only the last 4,000 characters (a print at import was
    lost) and said "[output cut: N more bytes not kept]" at the end."""
    from grader.constants import MAX_OUTPUT_IN_REPORT
    from grader.grading import GradeOptions, grade
    from grader.sandbox.process import ProcessBackend
    from tests.test_batch import CORRECT
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / "solution.py").write_text("import sys\nprint('MARK-START at import')\nsys.stdout.write('y' * 100_000)\n"
                                        "print()\nprint('MARK-END at import')\n" + CORRECT)
    report = grade(folder, adder, ProcessBackend(), GradeOptions(max_examples=5, complexity=False)).to_dict()
    assert report["verdict"] == "pass"
    output = report["output"]
    assert output.startswith("MARK-START at import\n") and output.endswith("\nMARK-END at import\n")
    assert output.index("MARK-START") < output.index("…[output cut here: 96,241 bytes not kept]…") \
        < output.index("MARK-END")
    assert len(output) <= MAX_OUTPUT_IN_REPORT


def test_a_report_cuts_a_long_output_in_the_middle_too():
    """Several sandboxes' outputs (one per restart) are joined, then cut to the report's cap."""
    from grader.fileio import cut_middle
    text = cut_middle("START" + "x" * 10_000 + "END", 1000)
    assert text.startswith("START") and text.endswith("END") and len(text) < 1100
    assert "…[output cut here: 9,008 characters not kept]…" in text


def test_address_space_limit_turns_into_memory_error(backend):
    with start(backend, "def hog():\n    return len(bytearray(1 << 30))\n") as sandbox:
        raised = call(sandbox, "hog")
    assert raised["type"] == "MemoryError"


def test_exceptions_cross_as_facts_with_their_line(backend):
    with start(backend, "def boom():\n    raise KeyError('k')\n") as sandbox:
        raised = call(sandbox, "boom")
    assert raised["type"] == "KeyError" and "builtins.KeyError" in raised["mro"]
    assert raised["where"] == {"file": "solution.py", "line": 2}


def test_installed_packages_are_not_importable(backend):
    with start(backend, "def probe():\n    try:\n        import pytest\n        return 'imported'\n"
                        "    except ImportError:\n        return 'hidden'\n") as sandbox:
        assert call(sandbox, "probe") == "hidden"


def test_forged_reply_for_another_request_is_a_protocol_failure(backend):
    source = ("import os\ndef forge():\n    for fd in range(3, 20):\n        try:\n"
              "            os.write(fd, b'{\"id\": 12345, \"ok\": true}\\n')\n        except OSError:\n            pass\n"
              "    return 1\n")
    with start(backend, source) as sandbox:
        try:
            result = call(sandbox, "forge")
        except SandboxFailure as failure:
            assert failure.kind == "protocol"
        else:
            assert result == 1  # the forged line never reached the channel


INHERITABLE_FDS = """
import os


def inheritable():
    found = []
    for fd in range(3, 1024):
        try:
            if os.get_inheritable(fd):
                found.append(fd)
        except OSError:
            pass
    return found
"""


def test_what_a_submission_spawns_inherits_no_channel_of_the_agent(backend):
    """os.system or an exec passes every inheritable fd: the protocol's are not, nor the progress
    pipe's write end (passed to the agent, so inheritable there until the agent says otherwise)."""
    with start(backend, INHERITABLE_FDS) as sandbox:
        assert call(sandbox, "inheritable") == []


def test_files_and_processes_are_gone_after_close(backend, tmp_path, monkeypatch):
    import tempfile
    from grader.sandbox import identity
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    source = ("import os, time\ndef spawn():\n    if os.fork() == 0:\n        os.setsid()\n"
              "        time.sleep(60)\n        os._exit(0)\n    return 1\n")
    sandbox = start(backend, source)
    assert call(sandbox, "spawn") == 1
    sandbox.close()
    assert list(tmp_path.iterdir()) == []
    if os.geteuid() == 0 and backend.name == "process" and backend.drops_privileges():
        assert identity.leftover_processes() == {}
    if backend.name == "docker":
        from tests.test_docker import own_containers
        assert own_containers() == []


def test_a_sandbox_that_cannot_make_its_progress_pipe_leaves_nothing(tmp_path, monkeypatch):
    """Out of fds (many sandboxes at once): the error goes up, the sandbox's folder does not stay."""
    import errno
    import tempfile
    from grader.sandbox import process
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def no_pipe():
        raise OSError(errno.EMFILE, "Too many open files")
    monkeypatch.setattr(process, "_progress_pipe", no_pipe)
    with pytest.raises(OSError):
        start(process.ProcessBackend(use_bwrap=False), "")
    assert list(tmp_path.iterdir()) == []


def test_fake_backend_runs_the_real_harness(tmp_path):
    from grader.catalog import Catalog
    from grader.grading import GradeOptions, grade
    from grader.sandbox.fake import FakeBackend
    from tests.conftest import FIXTURE_CHALLENGES
    challenge = Catalog([FIXTURE_CHALLENGES]).get("adder")
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "solution.py").write_text("def add(a, b):\n    return a * b\nclass Counter:\n    pass\n")
    report = grade(folder, challenge, FakeBackend(), GradeOptions(max_examples=20))
    [first, second] = report.tests
    assert first.status == "fail" and "add(" in first.counterexample
    assert second.status == "fail"


def test_pause_freezes_background_processes_too(backend):
    if backend.name == "docker":
        # Each container has its own CPU quota, so pausing is a no-op there; it must still be harmless.
        with start(backend, "def one():\n    return 1\n") as sandbox:
            sandbox.pause()
            sandbox.resume()
            assert call(sandbox, "one") == 1
        return
    source = ("import os, time\ndef spawn():\n    if os.fork() == 0:\n        os.setsid()\n"
              "        while True:\n            pass\n    return 1\n")
    from grader.sandbox import identity
    with start(backend, source) as sandbox:
        assert call(sandbox, "spawn") == 1
        time.sleep(0.1)
        pids = identity.descendants(sandbox._process.pid)
        sandbox.pause()
        time.sleep(0.05)
        states = [open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] for pid in pids]
        sandbox.resume()
    assert pids and set(states) == {"T"}


@pytest.mark.skipif(os.geteuid() != 0, reason="needs a second uid to run a process as")
def test_a_sandbox_s_processes_are_its_tree_and_its_uid_in_one_pass():
    """pause/resume signal what sandbox_processes finds: the process, everything below it (a setsid
    child too), and every process of the sandbox's uid even outside that tree."""
    import subprocess
    from grader.sandbox import identity
    uid = 4_000_000 + os.getpid() % 100_000     # nobody else's: no live sandbox's processes counted
    tree = subprocess.Popen(["bash", "-c", "sleep 30 & setsid sleep 30 & wait"])
    stranger = subprocess.Popen(["sleep", "30"], user=uid)
    try:
        deadline = time.monotonic() + 5
        while len(identity.descendants(tree.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        below = set(identity.descendants(tree.pid))
        assert len(below) == 2
        assert identity.sandbox_processes(tree.pid, None) == below | {tree.pid}
        assert identity.sandbox_processes(tree.pid, uid) == below | {tree.pid, stranger.pid}
    finally:
        for pid in identity.descendants(tree.pid) + [tree.pid, stranger.pid]:
            try:
                os.kill(pid, 9)
            except ProcessLookupError:
                pass
        tree.wait()
        stranger.wait()


HOLD_A_UID = """
import sys, time
from grader.sandbox import identity
user = identity.allocate()
print(user.uid if user else "none", flush=True)
time.sleep(float(sys.argv[1]))
"""


@pytest.mark.skipif(os.geteuid() != 0, reason="sandbox uids are allocated only when running as root")
def test_graders_with_different_tmpdirs_never_share_a_sandbox_uid(tmp_path):
    """The uid locks lived in $TMPDIR: a grader with another TMPDIR took the
    same uid and, clearing it, SIGKILLed a live sandbox of another grader."""
    import subprocess
    import sys
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    holders = []
    try:
        uids = []
        for name in ("one", "two"):
            private = tmp_path / name
            private.mkdir()
            holder = subprocess.Popen([sys.executable, "-c", HOLD_A_UID, "20"], stdout=subprocess.PIPE, text=True,
                                      cwd=root, env=dict(os.environ, TMPDIR=str(private), PYTHONPATH=root))
            holders.append(holder)
            uids.append(holder.stdout.readline().strip())
        assert "none" not in uids and uids[0] != uids[1]
    finally:
        for holder in holders:
            holder.kill()
            holder.wait()


PROBE_THEN_DIE = """
import sys
from grader.sandbox import bubblewrap
bubblewrap.inner_interpreter()
print("ready", flush=True)
bubblewrap.usable()
"""


@pytest.mark.skipif(not shutil.which("bwrap"), reason="bubblewrap is not installed")
def test_a_grader_killed_while_probing_bubblewrap_leaves_no_process(tmp_path):
    """bwrap's inner child waits on its parent before it arms --die-with-parent:
    an outer bwrap killed in its first milliseconds (with the grader) left a
    root process blocked for ever. The probe runs in its own session now,
    without --die-with-parent, and ends by itself."""
    import random
    import subprocess
    import sys
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    started = time.time()
    rng = random.Random(7)
    for _ in range(40):
        # A terminal's Ctrl-C or a CI runner's SIGTERM reaches the grader's whole process group.
        child = subprocess.Popen([sys.executable, "-c", PROBE_THEN_DIE], stdout=subprocess.PIPE, cwd=root,
                                 env=dict(os.environ, PYTHONPATH=root), start_new_session=True)
        child.stdout.readline()
        time.sleep(rng.uniform(0, 0.003))
        try:
            os.killpg(child.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        child.wait()
    time.sleep(1.0)
    boot = time.time() - float(open("/proc/uptime").read().split()[0])
    ticks = os.sysconf("SC_CLK_TCK")
    stranded = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                argv = handle.read().split(b"\0")
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        if argv[:1] == [b"/usr/bin/bwrap"] and b"import os" in argv and fields[0] != b"Z":
            if boot + int(fields[19]) / ticks >= started - 1:
                stranded.append(int(entry))
    for pid in stranded:
        os.kill(pid, 9)
    assert stranded == []
