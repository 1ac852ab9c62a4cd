"""The Docker sandbox: hardening in effect, lifecycle, failures as verdicts,
no container left behind, the `doctor` and `cleanup` commands, and verdicts
equal to the process sandbox's.

These tests need a Docker engine and an image with python3 (see
``tests/conftest.py``); they skip without one, and fail instead under
GRADER_REQUIRE_DOCKER=1 (CI).
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import threading
import time

import pytest

from grader.catalog import Catalog
from grader.grading import GradeOptions, grade
from grader.sandbox import docker as docker_sandbox
from grader.sandbox.base import SandboxFailure
from grader.sandbox.process import ProcessBackend
from tests.conftest import FIXTURE_CHALLENGES, docker_image
from tests.conftest import SANDBOX_LIMITS, call_in as call, start_sandbox as start

LIMITS = SANDBOX_LIMITS
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def api():
    return docker_sandbox.connect().api


def own_containers(pid: int | None = None) -> list[dict]:
    """Containers labelled by this process (or by ``pid``), running or not."""
    return api().containers(all=True, filters={"label": [f"{docker_sandbox.LABEL}=1",
                                                         f"grader.pid={pid or os.getpid()}"]})


def grader_command(*args: str, env: dict | None = None) -> list[str]:
    return [sys.executable, "-m", "grader", "--challenges-dir", str(FIXTURE_CHALLENGES), *args]


def run_grader(*args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(grader_command(*args), capture_output=True, text=True, cwd=ROOT, timeout=timeout,
                          env=dict(os.environ, NO_COLOR="1", COLUMNS="200", **(env or {})))


# -- hardening -------------------------------------------------------------------------

def test_the_hardening_is_in_effect(docker_backend):
    probe = """
import os, socket
def facts():
    status = dict(line.split(':', 1) for line in open('/proc/self/status').read().splitlines() if ':' in line)
    mounts = [line.split() for line in open('/proc/self/mounts')]
    tmp = [m[3] for m in mounts if m[1] == '/tmp'][0]
    try:
        open('/grader-escaped', 'w')
        root_writable = True
    except OSError:
        root_writable = False
    try:
        socket.create_connection(('1.1.1.1', 53), timeout=1)
        network = True
    except OSError:
        network = False
    return {'uid': os.getuid(), 'gid': os.getgid(), 'cap_eff': status['CapEff'].strip(),
            'no_new_privs': status['NoNewPrivs'].strip(), 'tmp': tmp, 'root_writable': root_writable,
            'network': network, 'interfaces': [name for _, name in socket.if_nameindex()], 'cwd': os.getcwd()}
"""
    with start(docker_backend, probe) as sandbox:
        info = api().inspect_container(sandbox.id)
        facts = call(sandbox, "facts")
    host, config = info["HostConfig"], info["Config"]
    assert host["ReadonlyRootfs"] is True
    assert host["NetworkMode"] == "none" and facts["network"] is False and facts["interfaces"] == ["lo"]
    assert host["CapDrop"] == ["ALL"] and not host.get("CapAdd") and facts["cap_eff"] == "0000000000000000"
    assert host["Privileged"] is False
    assert config["User"] == "65534:65534" and facts["uid"] == 65534 and facts["gid"] == 65534
    assert host["PidsLimit"] == 32
    memory = (LIMITS.memory_mb + docker_sandbox.MEMORY_HEADROOM_MB) << 20
    assert host["Memory"] == host["MemorySwap"] == memory
    assert host["NanoCpus"] == 1_000_000_000
    assert "no-new-privileges" in host["SecurityOpt"] and facts["no_new_privs"] == "1"
    assert host["Init"] is True
    assert {u["Name"]: u["Hard"] for u in host["Ulimits"]} == {"nofile": 64, "fsize": 16 << 20, "core": 0}
    assert "noexec" in host["Tmpfs"]["/tmp"] and "nosuid" in host["Tmpfs"]["/tmp"] and "size=" in host["Tmpfs"]["/tmp"]
    assert "noexec" in facts["tmp"] and "nosuid" in facts["tmp"]
    assert facts["root_writable"] is False and facts["cwd"] == "/tmp/submission"
    assert not host.get("Binds") and not info.get("Mounts"), "no host folder may be mounted"
    assert host["LogConfig"]["Config"].get("max-size") == "1m"
    assert config["Labels"][docker_sandbox.LABEL] == "1"


def test_run_options_are_what_the_issue_asks_for():
    options = docker_sandbox.run_options(LIMITS, "img")
    assert options["network_mode"] == "none" and options["read_only"] is True and options["init"] is True
    assert options["cap_drop"] == ["ALL"] and options["security_opt"] == ["no-new-privileges"]
    assert options["mem_limit"] == options["memswap_limit"] and options["privileged"] is False
    assert "volumes" not in options and "mounts" not in options
    assert options["user"] != "root" and not options["user"].startswith("0")


# -- lifecycle ---------------------------------------------------------------------------

def test_one_container_serves_every_request_and_is_removed_on_close(docker_backend):
    source = "calls = []\ndef add(a, b):\n    calls.append(1)\n    return len(calls)\n"
    sandbox = start(docker_backend, source)
    container = sandbox.id
    assert [call(sandbox, "add", 1, 2) for _ in range(5)] == [1, 2, 3, 4, 5]   # state kept: same process
    assert [c["Id"] for c in own_containers()] == [container]
    sandbox.close()
    assert own_containers() == []


def test_files_beside_the_solution_travel_in_the_payload(docker_backend):
    with start(docker_backend, "from helpers.util import twice\ndef f(x):\n    return twice(x)\n",
               **{"helpers/__init__.py": "", "helpers/util.py": "def twice(x):\n    return 2 * x\n"}) as sandbox:
        assert call(sandbox, "f", 21) == 42


def test_print_goes_to_the_output_not_the_protocol(docker_backend):
    with start(docker_backend, "print('at import')\ndef f():\n    print('{\"id\": 2, \"ok\": true}')\n"
                               "    return 1\n") as sandbox:
        assert call(sandbox, "f") == 1
        sandbox.close()
        assert "at import" in sandbox.output() and '{"id": 2' in sandbox.output()


def test_round_trip_is_fast(docker_backend):
    with start(docker_backend, "def f(x):\n    return x\n") as sandbox:
        times = []
        for i in range(200):
            started = time.perf_counter()
            call(sandbox, "f", i)
            times.append(time.perf_counter() - started)
    assert statistics.median(times) < 0.005   # about 0.5 ms measured; loose for loaded machines


def test_timeout_kills_the_container_whatever_the_code_does_with_signals(docker_backend):
    source = ("import signal\nfor s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):\n"
              "    signal.signal(s, signal.SIG_IGN)\ndef spin():\n    while True:\n        pass\n")
    sandbox = start(docker_backend, source)
    try:
        started = time.monotonic()
        with pytest.raises(SandboxFailure) as failure:
            call(sandbox, "spin", timeout=0.5)
        assert failure.value.kind == "timeout" and time.monotonic() - started < 3
        assert api().inspect_container(sandbox.id)["State"]["Running"] is False
    finally:
        sandbox.close()
    assert own_containers() == []


def test_oom_killed_becomes_a_memory_verdict(docker_backend, monkeypatch):
    # Without the address-space rlimit a big allocation meets the container's cgroup limit.
    monkeypatch.setattr(docker_sandbox, "agent_limits",
                        lambda limits: {"cpu_seconds": limits.cpu_seconds, "core": 0})
    with start(docker_backend, "def hog():\n    return len(bytearray(1 << 30))\n") as sandbox:
        with pytest.raises(SandboxFailure) as failure:
            call(sandbox, "hog", timeout=20)
    assert failure.value.kind == "memory"
    assert "memory limit" in failure.value.message


def test_oom_killed_sets_the_reports_memory_flag(docker_backend, monkeypatch, write_submission):
    monkeypatch.setattr(docker_sandbox, "agent_limits",
                        lambda limits: {"cpu_seconds": limits.cpu_seconds, "core": 0})
    challenge = Catalog([FIXTURE_CHALLENGES]).get("adder")
    source = ("def add(a, b):\n    x = bytearray(1 << 30)\n    return a + b\n"
              "class Counter:\n    def __init__(self):\n        self.n = 0\n"
              "    def increment(self):\n        self.n += 1\n        return self.n\n")
    report = grade(write_submission(source), challenge, docker_backend, GradeOptions(max_examples=10)).to_dict()
    assert report["verdict"] == "fail" and report["limits"]["memory_exceeded"] is True
    tests = {t["name"]: t for t in report["correctness"]["tests"]}
    assert "memory limit exceeded" in tests["adds_two_integers"]["message"]
    assert tests["counter_counts"]["status"] == "pass"
    assert own_containers() == []


def test_the_address_space_limit_still_gives_a_memory_error(docker_backend):
    with start(docker_backend, "def hog():\n    return len(bytearray(1 << 30))\n") as sandbox:
        assert call(sandbox, "hog")["type"] == "MemoryError"


@pytest.mark.parametrize("how, fragment", [("kill", "killed by signal SIGKILL"), ("remove", "")])
def test_a_container_killed_or_removed_from_outside_is_a_clear_verdict(docker_backend, how, fragment):
    sandbox = start(docker_backend, "import time\ndef wait():\n    time.sleep(30)\n")
    engine = api()

    def strike():
        time.sleep(0.3)
        if how == "kill":
            engine.kill(sandbox.id)
        else:
            engine.remove_container(sandbox.id, force=True)

    threading.Thread(target=strike).start()
    started = time.monotonic()
    try:
        with pytest.raises(SandboxFailure) as failure:
            call(sandbox, "wait", timeout=20)
    finally:
        sandbox.close()
    assert failure.value.kind == "crashed" and fragment in failure.value.message
    assert time.monotonic() - started < 10
    assert own_containers() == []


def test_exit_codes_and_signals_are_reported_like_the_process_sandbox(docker_backend):
    with start(docker_backend, "import os, signal\ndef quit():\n    os._exit(9)\n"
                               "def segv():\n    os.kill(os.getpid(), signal.SIGSEGV)\n") as sandbox:
        with pytest.raises(SandboxFailure) as failure:
            call(sandbox, "quit")
    assert failure.value.kind == "crashed" and "exited with code 9" in failure.value.message
    with start(docker_backend, "import os, signal\ndef segv():\n    os.kill(os.getpid(), signal.SIGSEGV)\n") as sandbox:
        with pytest.raises(SandboxFailure) as failure:
            call(sandbox, "segv")
    assert "killed by signal SIGSEGV" in failure.value.message


def test_no_container_is_left_after_an_exception(docker_backend):
    with pytest.raises(RuntimeError):
        with start(docker_backend, "def f():\n    return 1\n"):
            assert len(own_containers()) == 1
            raise RuntimeError("the grader failed")
    assert own_containers() == []


# -- the grader process interrupted ----------------------------------------------------

SLOW = ("import time\ndef add(a, b):\n    time.sleep(1.5)\n    return a + b\n"
        "class Counter:\n    def __init__(self):\n        self.n = 0\n"
        "    def increment(self):\n        self.n += 1\n        return self.n\n")


def _grader_mid_grade(tmp_path, image):
    folder = tmp_path / "slow"
    folder.mkdir()
    (folder / "solution.py").write_text(SLOW)
    # As in a terminal: a test runner started in the background passes SIGINT on as
    # ignored, and Python (rightly) keeps ignoring it; Ctrl-C needs the default.
    process = subprocess.Popen(grader_command("submit", str(folder), "--challenge", "adder", "--sandbox", "docker",
                                              "--image", image, "--format", "json"),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
                               env=dict(os.environ, NO_COLOR="1"),
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 60
    while not own_containers(process.pid):
        assert process.poll() is None, process.stderr.read().decode()
        assert time.monotonic() < deadline, "the grader never started a container"
        time.sleep(0.05)
    # 0.3 s in: the container is starting and pytest and Hypothesis are being imported,
    # where a Ctrl-C used to be lost or to end the process by SIGINT (grader/cli/interrupts.py).
    time.sleep(0.3)
    return process


@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 128 + signal.SIGTERM)])
def test_ctrl_c_or_sigterm_mid_grade_leaves_no_container(docker_backend, tmp_path, signum, code):
    process = _grader_mid_grade(tmp_path, docker_backend.image)
    process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == code, (stdout[-1500:], stderr)
    assert b"Traceback" not in stderr
    assert own_containers(process.pid) == []


def test_cleanup_removes_what_a_killed_grader_left(docker_backend, tmp_path):
    process = _grader_mid_grade(tmp_path, docker_backend.image)
    process.kill()
    process.communicate(timeout=30)
    assert own_containers(process.pid), "SIGKILL gives the grader no chance: the container stays"
    result = run_grader("cleanup")
    assert result.returncode == 0 and "Removed" in result.stdout, result.stderr
    assert own_containers(process.pid) == []
    again = run_grader("cleanup")
    assert again.returncode == 0 and "nothing to remove" in again.stdout


def test_cleanup_keeps_the_containers_of_a_grader_still_running(docker_backend, tmp_path):
    """Other graders may share the engine: cleanup removed their live containers too."""
    process = _grader_mid_grade(tmp_path, docker_backend.image)
    try:
        result = run_grader("cleanup")
        assert result.returncode == 0, result.stderr
        assert own_containers(process.pid), "the running grader's container was removed"
        assert "Kept" in result.stdout
    finally:
        process.kill()
        process.communicate(timeout=30)
    run_grader("cleanup")
    assert own_containers(process.pid) == []


def test_doctor_does_not_call_a_running_graders_containers_leftovers(docker_backend, tmp_path):
    process = _grader_mid_grade(tmp_path, docker_backend.image)
    try:
        result = run_grader("doctor", "--image", docker_backend.image)
        line = [row for row in result.stdout.splitlines() if "leftover containers" in row]
        assert line and "remove them" not in line[0] and "still running" in line[0], result.stdout
    finally:
        process.kill()
        process.communicate(timeout=30)
    run_grader("cleanup")


# -- images, engine, doctor ----------------------------------------------------------------

def test_missing_image_says_what_to_do(tmp_path, docker_backend):
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "solution.py").write_text(SLOW)
    result = run_grader("submit", str(folder), "--challenge", "adder", "--sandbox", "docker",
                        "--image", "localhost:1/grader-no-such-image:1")
    assert result.returncode == 2
    assert "could not be pulled" in result.stderr and "docker load" in result.stderr
    assert "--image" in result.stderr and "Traceback" not in result.stderr


def test_grader_image_environment_variable_is_used(docker_backend):
    result = run_grader("doctor", env={"GRADER_IMAGE": "localhost:1/grader-no-such-image:1"})
    assert "localhost:1/grader-no-such-image:1" in result.stdout and "missing" in result.stdout


def test_unreachable_engine_is_a_clear_error_and_auto_falls_back(tmp_path):
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "solution.py").write_text(SLOW.replace("time.sleep(1.5)", "pass"))
    env = {"DOCKER_HOST": f"unix://{tmp_path}/no-engine.sock"}
    result = run_grader("submit", str(folder), "--challenge", "adder", "--sandbox", "docker", env=env)
    assert result.returncode == 2 and "No Docker engine answers" in result.stderr
    assert "Traceback" not in result.stderr
    auto = run_grader("submit", str(folder), "--challenge", "adder", "--format", "json", env=env)
    assert auto.returncode == 0 and '"sandbox": "process"' in auto.stdout


def test_auto_picks_docker_when_the_engine_has_the_image(docker_backend, tmp_path):
    from grader.sandbox.select import get_backend
    assert get_backend("auto", image=docker_backend.image).name == "docker"
    assert get_backend("auto", image="localhost:1/grader-no-such-image:1").name == "process"


def test_auto_says_on_stderr_why_a_named_image_is_not_used(docker_backend, tmp_path):
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "solution.py").write_text(SLOW.replace("time.sleep(1.5)", "pass"))
    missing = "localhost:1/grader-no-such-image:1"
    result = run_grader("submit", str(folder), "--challenge", "adder", "--image", missing, "--format", "json",
                        "--no-complexity")
    assert result.returncode == 0 and '"sandbox": "process"' in result.stdout, result.stderr
    assert f"the Docker image {missing} is not on the engine" in result.stderr
    assert "so the process sandbox is used; pass --sandbox docker to insist" in result.stderr


def test_doctor_reports_engine_image_bubblewrap_and_protections(docker_backend):
    result = run_grader("doctor", "--image", docker_backend.image)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for fragment in ("docker engine", "Docker ", "docker image", f"{docker_backend.image} is present", "bubblewrap",
                     "uses the docker sandbox", "process sandbox", "docker sandbox", "read-only root filesystem",
                     "no network"):
        assert fragment in out, fragment


# -- verdicts equal to the process sandbox's -------------------------------------------

CORRECT = ("def add(a, b):\n    return a + b\n"
           "class Counter:\n    def __init__(self):\n        self.n = 0\n"
           "    def increment(self):\n        self.n += 1\n        return self.n\n")

ORDINARY = {
    "correct": CORRECT,
    "wrong": CORRECT.replace("return a + b", "return a + b if a < 5 else a - b"),
    "raises": CORRECT.replace("return a + b", "raise KeyError(a)"),
    "prints": "print('hello')\n" + CORRECT,
    "syntax_error": "def add(a, b) return a\n",
    "import_error": "import numpy_that_does_not_exist\n",
    "missing_entry_point": "def add(a, b):\n    return a + b\n",
    "exit_at_import": "import os\nos._exit(4)\n",
    "memory_at_import": "x = bytearray(1 << 30)\n",
    "slow_import": "import time\ntime.sleep(60)\n",
    "crash_in_call": CORRECT.replace("    return a + b", "    import os; os._exit(9)"),
    "segfault_in_call": CORRECT.replace("    return a + b", "    import os, signal; os.kill(os.getpid(), signal.SIGSEGV)"),
    "timeout_in_call": CORRECT.replace("    return a + b", "    while True: pass"),
    "memory_error_in_call": CORRECT.replace("    return a + b", "    return bytearray(1 << 30)"),
    "counter_off_by_one": CORRECT.replace("self.n = 0", "self.n = 1"),
}


def _essentials(report: dict) -> dict:
    return {"verdict": report["verdict"], "score": report["score"], "message": report["message"],
            "limits": {k: report["limits"].get(k) for k in ("timed_out", "memory_exceeded")},
            "tests": [(t["name"], t["status"], t["message"], t["counterexample"])
                      for t in report["correctness"]["tests"]]}


@pytest.mark.parametrize("name", sorted(ORDINARY))
def test_verdicts_match_the_process_sandbox(name, docker_backend, tmp_path):
    challenge = Catalog([FIXTURE_CHALLENGES]).get("adder")
    folder = tmp_path / name
    folder.mkdir()
    (folder / "solution.py").write_text(ORDINARY[name])
    options = GradeOptions(seed=3, max_examples=10)
    in_docker = grade(folder, challenge, docker_backend, options).to_dict()
    in_process = grade(folder, challenge, ProcessBackend(use_bwrap=False), options).to_dict()
    assert in_docker["sandbox"] == "docker"
    assert _essentials(in_docker) == _essentials(in_process)
    assert own_containers() == []


def test_the_test_image_is_known_or_the_docker_tests_skip():
    image, reason = docker_image()
    assert image or reason


# -- batch grading in containers ------------------------------------------------------------------

def test_grade_batch_in_docker_matches_the_process_sandbox_and_leaves_no_container(docker_backend, tmp_path):
    """`grader grade --sandbox docker --jobs 2`: each worker process runs its own
    containers; the verdicts are those of the process sandbox; nothing is left."""
    import json
    reference = FIXTURE_CHALLENGES.parent / "reference" / "adder"
    correct = (reference / "solution.py").read_text()
    wrong = (reference / "mutants" / "subtracts.py").read_text()
    for index, source in enumerate([correct, wrong, correct, "def add(a, b)\n"]):
        folder = tmp_path / "subs" / f"c{index}" / "adder"
        folder.mkdir(parents=True)
        (folder / "solution.py").write_text(source + f"\n# {index}\n")
    verdicts = {}
    for sandbox in ("docker", "process"):
        result = subprocess.run(
            grader_command("grade", str(tmp_path / "subs"), "--jobs", "2", "--sandbox", sandbox, "--image",
                           docker_backend.image, "--db", str(tmp_path / f"{sandbox}.db"), "--format", "jsonl"),
            capture_output=True, text=True, cwd=tmp_path, timeout=300, env=dict(os.environ, NO_COLOR="1"))
        assert result.returncode == 1, result.stderr
        reports = [json.loads(line) for line in result.stdout.splitlines()]
        assert {r["sandbox"] for r in reports} == {sandbox}
        verdicts[sandbox] = [(r["submission"].split("/")[-2], r["verdict"], r["score"]) for r in reports]
    assert verdicts["docker"] == verdicts["process"]
    assert [v for _, v, _ in verdicts["docker"]] == ["pass", "fail", "pass", "error"]
    # Only this batch's containers: its workers' pids, as its database logged them (another
    # grader may be using the engine).
    import sqlite3
    connection = sqlite3.connect(tmp_path / "docker.db")
    workers = {pid for (pid,) in connection.execute("SELECT DISTINCT worker_pid FROM gradings")}
    connection.close()
    assert workers
    leftovers = [c for pid in workers for c in own_containers(pid)]
    assert leftovers == [], "a batch worker left a container behind"
