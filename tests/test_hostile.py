"""Hostile submissions: none may pass, none may touch the host.

Every submission below is wrong unless its attack works (its ``add`` does
not add), so a pass would mean the attack turned a failure into a pass.
After each one the host is checked: no file written outside the sandbox,
no connection made, no secret in the report, no process left behind, no
sandbox folder left behind, and the report stays small.

Cases marked ``isolated`` need bubblewrap (or Docker): without it a process
sandbox cannot hide the network or the host's files, as its report says.
"""

from __future__ import annotations

import json
import os
import socket
import tempfile
import uuid

import pytest

from grader.sandbox import identity
from tests.conftest import isolates

SECRET = "grader-test-secret-" + uuid.uuid4().hex
HOST_FILE = os.path.join(tempfile.gettempdir(), "grader-hostile-" + uuid.uuid4().hex)

WRONG_REST = """
class Counter:
    def __init__(self):
        self.n = 0
    def increment(self):
        self.n += 1
        return self.n
"""

CASES = {
    # --- exit codes -----------------------------------------------------------------
    "exit_zero_at_import": ("import os\nos._exit(0)\n", {}),
    "sys_exit_zero_during_call": ("def add(a, b):\n    raise SystemExit(0)\n", {}),
    "os_exit_zero_during_call": ("def add(a, b):\n    import os\n    os._exit(0)\n", {}),
    # --- tampering with the test machinery -----------------------------------------
    "patch_pytest": ("""
import sys, glob
sys.path.extend(glob.glob('/usr/lib/python3*/site-packages') + glob.glob('/root/.pyenv/versions/*/lib/python3*/site-packages'))
try:
    import _pytest.runner, pytest
    pytest.fail = lambda *a, **k: None
    _pytest.runner.call_and_report = lambda *a, **k: None
except ImportError:
    pass
def add(a, b):
    return 0
""", {}),
    "patch_hypothesis": ("""
import sys
try:
    import hypothesis
    hypothesis.given = lambda *a, **k: (lambda f: (lambda *x, **y: None))
except ImportError:
    pass
def add(a, b):
    return 0
""", {}),
    "patch_the_agent_reply_encoder": ("""
import json
_dumps = json.dumps
def forged(obj, *args, **kwargs):
    if isinstance(obj, dict) and 'results' in obj:
        obj = dict(obj, results=[{'ok': True, 'value': [['I', 0]]} for _ in obj['results']])
    return _dumps(obj, *args, **kwargs)
json.dumps = forged
def add(a, b):
    return 0
""", {}),
    "write_garbage_to_every_descriptor": ("""
import os
for fd in range(3, 64):
    try:
        os.write(fd, b'{"id": 999, "ok": true, "results": []}\\n')
    except OSError:
        pass
def add(a, b):
    return 0
""", {}),
    # --- tricky return values -------------------------------------------------------
    "always_equal_object": ("""
class Yes:
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    __hash__ = object.__hash__
def add(a, b):
    return Yes()
""", {}),
    "int_subclass_always_equal": ("""
class Liar(int):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __repr__(self): return repr(int(self) + 1)
    __hash__ = int.__hash__
def add(a, b):
    return Liar(a + b + 1)
""", {}),
    "pickle_payload": ("""
import os
class Payload:
    def __reduce__(self):
        return (os.system, ('touch %s',))
def add(a, b):
    return Payload()
""" % HOST_FILE, {}),
    "faked_clocks": ("""
import time
time.monotonic = time.perf_counter = time.time = lambda: 0.0
def add(a, b):
    while True:
        pass
""", {}),
    # --- resource exhaustion --------------------------------------------------------
    "fork_bomb": ("""
import os
def add(a, b):
    while True:
        try:
            os.fork()
        except OSError:
            pass
""", {"isolated": True}),
    "memory_bomb": ("def add(a, b):\n    x = [0] * (10 ** 9)\n    return a + b\n", {"memory": True}),
    "infinite_loop": ("def add(a, b):\n    while True:\n        pass\n", {"timeout": True}),
    "sleeps": ("import time\ndef add(a, b):\n    time.sleep(3600)\n", {"timeout": True}),
    "ignores_signals": ("""
import signal
for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGXCPU):
    signal.signal(sig, signal.SIG_IGN)
def add(a, b):
    while True:
        pass
""", {"timeout": True}),
    "kills_its_parent": ("""
import os, signal
def add(a, b):
    os.kill(os.getppid(), signal.SIGKILL)
    os.kill(-1, signal.SIGKILL)
    return 0
""", {"isolated": True}),
    "stdout_flood_1_gib": ("""
import sys
def add(a, b):
    chunk = 'x' * (1 << 20)
    for _ in range(1024):
        sys.stdout.write(chunk)
        sys.stderr.write(chunk)
    return 0
""", {}),
    "huge_exception_message": ("def add(a, b):\n    raise ValueError('x' * 200_000_000)\n", {}),
    "deep_recursion_crash": ("""
import sys
sys.setrecursionlimit(10 ** 9)
def down(n):
    return down(n + 1) + 1
def add(a, b):
    return down(0)
""", {}),
    # --- escaping the sandbox -------------------------------------------------------
    "fills_the_disk": ("""
import os, tempfile
def add(a, b):
    for folder in ('.', tempfile.gettempdir(), '/tmp', '/var/tmp', '/dev/shm'):
        for i in range(200):
            try:
                with open(os.path.join(folder, 'fill-%d' % i), 'wb') as f:
                    f.write(b'x' * (16 << 20))
            except OSError:
                break
    return 0
""", {"isolated": True}),
    "writes_outside_its_folder": ("""
def add(a, b):
    for path in (%r, '../escaped.txt', '/etc/grader-escaped'):
        try:
            with open(path, 'w') as f:
                f.write('escaped')
        except OSError:
            pass
    return 0
""" % HOST_FILE, {"isolated": True}),
    "reads_environment_secrets": ("""
import os
def add(a, b):
    found = dict(os.environ)
    for pid in os.listdir('/proc'):
        try:
            found[pid] = open('/proc/%s/environ' % pid, 'rb').read().decode('latin-1')
        except Exception:
            pass
    return repr(found)
""", {"isolated": True}),
    "connects_to_host_loopback": ("""
import socket
def add(a, b):
    port = int(open('/dev/null').read() or 0)
    return 0
""", {"isolated": True, "network": True}),
    "searches_for_hidden_tests": ("""
import os
def add(a, b):
    found = []
    for root, dirs, files in os.walk('/'):
        if root.startswith(('/proc', '/sys', '/dev')):
            continue
        for name in files:
            if name in ('test_adder.py', 'challenge.toml') or 'reference' in root:
                try:
                    found.append(root + '/' + name + ':' + open(os.path.join(root, name)).read()[:200])
                except OSError:
                    found.append(root + '/' + name)
    return repr(found)
""", {"isolated": True}),
}


@pytest.fixture
def listener():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    yield server
    server.close()


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_submission_neither_passes_nor_touches_the_host(name, backend, grade_adder, listener, monkeypatch,
                                                                tmp_path):
    source, traits = CASES[name]
    if traits.get("isolated") and not isolates(backend):
        pytest.skip("needs bubblewrap: a bare process sandbox cannot isolate this (its report says so)")
    if traits.get("network"):
        port = listener.getsockname()[1]
        source = f"""
import socket
def add(a, b):
    for family, address in ((socket.AF_INET, ('127.0.0.1', {port})), (socket.AF_INET6, ('::1', {port}))):
        try:
            s = socket.socket(family)
            s.settimeout(0.5)
            s.connect(address)
            s.sendall(b'leak')
            return 0
        except OSError:
            pass
    return 1
"""
    monkeypatch.setenv("GRADER_SECRET_TOKEN", SECRET)
    sandbox_parent = tmp_path / "sandboxes"
    sandbox_parent.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(sandbox_parent))

    report = grade_adder(source + (WRONG_REST if "class Counter" not in source else ""), examples=5)

    text = json.dumps(report)
    assert report["verdict"] in ("fail", "error"), report["message"]
    assert len(text) < 1 << 20, "the report must stay under 1 MiB"
    assert SECRET not in text
    assert "def test_adds_two_integers" not in text and "test_adder.py" not in text
    assert not os.path.exists(HOST_FILE), "the submission wrote a file on the host"
    assert not os.path.exists("/etc/grader-escaped")
    with pytest.raises(BlockingIOError):
        listener.accept()
    assert identity.leftover_processes() == {}, "processes of the sandbox were left running"
    assert list(sandbox_parent.iterdir()) == [], "a sandbox folder was left behind"
    if backend.name == "docker":
        from tests.test_docker import own_containers
        assert own_containers() == [], "a container was left behind"
    if traits.get("timeout"):
        assert report["limits"]["timed_out"] is True
    if traits.get("memory"):
        assert report["limits"]["memory_exceeded"] is True


def test_the_report_says_which_protections_were_active(grade_adder, backend):
    report = grade_adder("def add(a, b):\n    return a + b\n" + WRONG_REST, examples=3)
    protections = " ".join(report["protections"])
    assert "rlimits" in protections
    if isolates(backend):
        assert "no network" in protections
    else:
        assert "no bubblewrap" in protections
