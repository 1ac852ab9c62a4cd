"""Bubblewrap (``bwrap``) around the process sandbox, when it works here.

The sandbox sees a read-only system, the Python interpreter (mounted at a
neutral path) without any installed packages, a private /tmp, its own copy
of the submission and of the agent, no network and its own PID namespace.
Nothing of the grader's install, the challenges or the user's home is
mounted. Run as root, bwrap keeps only the two capabilities the agent needs
to switch to the sandbox's uid, and the agent drops them with it.
"""

from __future__ import annotations

import functools
import os
import select
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

from grader.sandbox.memory import MALLOC_ENVIRONMENT

SANDBOX_SUBMISSION = "/submission"
SANDBOX_AGENT = "/grader-agent"
SANDBOX_PYTHON = "/opt/grader-python"
TMP_SIZE_BYTES = 16 << 20   # the only writable place: a small RAM-backed /tmp

PROTECTIONS = [
    "bubblewrap: no network (new network namespace)",
    "bubblewrap: read-only system, no installed packages visible",
    "bubblewrap: read-only submission folder, private /tmp capped at 16 MiB",
    "bubblewrap: own PID namespace, read-only /proc, grader and home folders not mounted",
]


def interpreter() -> str:
    """The real interpreter binary (a virtualenv's python is a symlink)."""
    return os.path.realpath(sys.executable)


def _prefix() -> str:
    return os.path.realpath(sys.base_prefix)


def inner_interpreter() -> str:
    """Where the interpreter appears inside the sandbox."""
    real, prefix = interpreter(), _prefix()
    if real.startswith(prefix + "/"):
        return SANDBOX_PYTHON + real[len(prefix):]
    return real


def _system_binds() -> list[str]:
    args = []
    for path in ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/etc/ld.so.cache", "/etc/localtime"):
        if os.path.exists(path):
            args += ["--ro-bind", path, path]
    prefix = _prefix()
    args += ["--perms", "0755", "--dir", "/opt", "--ro-bind", prefix, SANDBOX_PYTHON]
    # Installed packages (the grader's own among them) must not be importable or readable.
    hidden = {sysconfig.get_paths()[key] for key in ("purelib", "platlib")}
    hidden |= {os.path.join(prefix, "lib", f"python{sys.version_info[0]}.{sys.version_info[1]}", "site-packages")}
    hidden |= {"/usr/lib/python3/dist-packages", "/usr/local/lib/python3/dist-packages",
               f"/usr/local/lib/python{sys.version_info[0]}.{sys.version_info[1]}/dist-packages",
               f"/usr/local/lib/python{sys.version_info[0]}.{sys.version_info[1]}/site-packages"}
    for folder in sorted(os.path.realpath(h) for h in hidden):
        if not os.path.isdir(folder):
            continue
        if folder.startswith(prefix + "/"):
            args += ["--tmpfs", SANDBOX_PYTHON + folder[len(prefix):]]
        elif folder.startswith("/usr/"):
            args += ["--tmpfs", folder]
    return args


def command(workdir: Path, agent_dir: Path, inner: list[str]) -> list[str]:
    """The bwrap command line that runs ``inner`` inside the sandbox."""
    if os.geteuid() == 0:
        namespaces = ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
                      "--unshare-cgroup-try", "--cap-drop", "ALL",
                      "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    else:
        namespaces = ["--unshare-all"]
    return [
        shutil.which("bwrap") or "bwrap",
        *namespaces, "--die-with-parent", "--new-session",
        *_system_binds(),
        # /proc read-only: the submission cannot reset its own memory high-water mark
        # (clear_refs), which the host reads for space checks.
        "--proc", "/proc", "--remount-ro", "/proc", "--dev", "/dev",
        "--size", str(TMP_SIZE_BYTES), "--perms", "1777", "--tmpfs", "/tmp",
        "--ro-bind", str(agent_dir), SANDBOX_AGENT,
        "--ro-bind", str(workdir), SANDBOX_SUBMISSION,
        "--chdir", SANDBOX_SUBMISSION,
        "--hostname", "sandbox",
        "--clearenv", "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", SANDBOX_SUBMISSION,
        "--setenv", "LANG", "C.UTF-8", "--setenv", "TMPDIR", "/tmp",
        *[arg for name, value in MALLOC_ENVIRONMENT.items() for arg in ("--setenv", name, value)],
        "--", *inner,
    ]


@functools.lru_cache(maxsize=None)
def usable() -> bool:
    """Whether bwrap is installed and can start the interpreter here."""
    if shutil.which("bwrap") is None:
        return False
    # In its own session and without --die-with-parent: bwrap 0.8's inner child waits on
    # its parent's eventfd before it arms --die-with-parent, so an outer bwrap killed in
    # its first milliseconds (the grader SIGKILLed, or a Ctrl-C sent to the grader's
    # process group) left a root process blocked for ever. The probe ends in milliseconds.
    probe = [arg for arg in command(Path("/tmp"), Path("/tmp"), [inner_interpreter(), "-I", "-S", "-c", "import os"])
             if arg != "--die-with-parent"]
    try:
        process = subprocess.Popen(probe, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, env={"PATH": "/usr/bin:/bin"}, start_new_session=True)
    except OSError:
        return False
    try:
        return _exit_code(process, timeout=10) == 0
    except subprocess.TimeoutExpired:
        _kill_group(process)
        return False
    except BaseException:
        # Ctrl-C while probing (it does not reach the probe's own session): let the probe
        # end by itself, in milliseconds; killing bwrap early is what strands its child.
        try:
            process.wait(timeout=5)
        except BaseException:  # noqa: BLE001 - a second interrupt: give up on it
            pass
        raise


def _exit_code(process: subprocess.Popen, timeout: float) -> int:
    """The probe's exit code. Its stdout (a pipe it never writes to) reaches
    end of file the moment it and its children end, so select() wakes then;
    Popen.wait(timeout) polls with sleeps that double up to 50 ms, which
    made a 20 ms probe take up to 70 ms of every grader test."""
    deadline = time.monotonic() + timeout
    try:
        while True:
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([process.stdout], [], [], max(0.0, remaining))
            if not ready:
                raise subprocess.TimeoutExpired(process.args, timeout)
            if not os.read(process.stdout.fileno(), 1 << 16):
                break
        return process.wait(timeout=max(0.0, deadline - time.monotonic()))
    finally:
        process.stdout.close()


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        pass
    process.wait()
