"""The process sandbox: the agent in a separate, limited process.

Protections, strongest first: a dedicated unprivileged uid (when the grader
runs as root), bubblewrap namespaces (when ``bwrap`` works here), then always
a new session, a scrubbed environment, a private temporary working folder,
rlimits applied by the agent before the submission is imported, and a
host-side deadline on every request that SIGKILLs the whole process group.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path
from typing import Mapping

from grader.agent import agent as agent_module
from grader.constants import (FILE_SIZE_LIMIT, OPEN_FILES_LIMIT, PROCESS_LIMIT,
                              SANDBOX_START_TIMEOUT)
from grader.sandbox import bubblewrap, identity, memory, scratch
from grader.errors import SandboxUnavailable
from grader.sandbox.base import Backend, Sandbox, SandboxFailure, SandboxLimits
from grader.sandbox.channel import ChannelSandbox, JsonLineChannel, OutputDrain, exit_failure


def rlimits(limits: SandboxLimits, dedicated_uid: bool) -> dict:
    processes = PROCESS_LIMIT if dedicated_uid else identity.count_own_processes() + PROCESS_LIMIT
    return {
        "address_space": limits.memory_mb << 20,
        "cpu_seconds": limits.cpu_seconds,
        "file_size": FILE_SIZE_LIMIT,
        "open_files": OPEN_FILES_LIMIT,
        "core": 0,
        "processes": processes,
    }


def interpreter_open_to_others() -> bool:
    """Whether an unprivileged uid could run this interpreter and read its
    standard library (a pyenv under /root, for one, is not)."""
    prefix = os.path.realpath(sys.base_prefix)
    for path in [prefix, *Path(prefix).parents]:
        if not os.stat(path).st_mode & stat.S_IXOTH:
            return False
    return bool(os.stat(bubblewrap.interpreter()).st_mode & stat.S_IXOTH)


class ProcessBackend(Backend):
    name = "process"

    def __init__(self, use_bwrap: bool | None = None):
        """``use_bwrap``: True requires it, False never uses it, None uses it
        when it works here."""
        self._use_bwrap = use_bwrap

    def uses_bwrap(self) -> bool:
        if self._use_bwrap is False:
            return False
        return bubblewrap.usable()

    def drops_privileges(self) -> bool:
        """Root drops to a dedicated uid when the interpreter stays reachable."""
        return os.geteuid() == 0 and (self.uses_bwrap() or interpreter_open_to_others())

    def protections(self, limits: SandboxLimits) -> list[str]:
        found = ["separate process in its own session, killed as a group at the deadline",
                 "scrubbed environment, private temporary working folder",
                 f"rlimits: address space {limits.memory_mb} MiB, CPU {limits.cpu_seconds} s, "
                 f"file size {FILE_SIZE_LIMIT >> 20} MiB, {OPEN_FILES_LIMIT} open files, no core dumps, "
                 f"{PROCESS_LIMIT} processes"]
        if self.drops_privileges():
            found.append("dedicated unprivileged uid, all its processes killed afterwards")
        elif os.geteuid() == 0:
            found.append("runs as root: the interpreter is not readable by an unprivileged user "
                         "(install bubblewrap to fix this)")
        if self.uses_bwrap():
            found += bubblewrap.PROTECTIONS
        else:
            found.append("no bubblewrap: the network, the host's readable files and its "
                         "world-writable folders are reachable")
        return found

    def start(self, files: Mapping[str, bytes], limits: SandboxLimits) -> Sandbox:
        if self._use_bwrap and not bubblewrap.usable():
            raise SandboxUnavailable(
                "bubblewrap was required but does not work here: install it "
                "(Debian: apt-get install bubblewrap) or let the grader choose.")
        return ProcessSandbox(files, limits, use_bwrap=self.uses_bwrap(),
                              drop_privileges=self.drops_privileges())


def _progress_pipe() -> tuple[int, int]:
    """The pipe for the agent's progress notes (grader/sandbox/channel.py):
    the read end non-blocking, and room for tens of thousands of notes
    (1 MiB where the kernel allows; a full pipe only sends notes in-band)."""
    read_end, write_end = os.pipe()
    os.set_blocking(read_end, False)
    try:
        fcntl.fcntl(write_end, getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
    except OSError:
        pass
    return read_end, write_end


class ProcessSandbox(ChannelSandbox):
    def __init__(self, files: Mapping[str, bytes], limits: SandboxLimits, *,
                 use_bwrap: bool, drop_privileges: bool):
        self._closed = False
        self._dead: SandboxFailure | None = None
        self._use_bwrap = use_bwrap
        self._memory: memory.PeakMemory | None | bool = None
        self._user = identity.allocate() if drop_privileges else None
        uid = self._user.uid if self._user else None
        # grader-sandbox-<pid>-<start>-<random>: `grader cleanup` can tell whether its grader is gone.
        self._root = scratch.create(close=self.close)
        self._progress_read = progress_write = None
        try:
            self._progress_read, progress_write = _progress_pipe()
            workdir, agent_dir = self._prepare(files, uid)
            config = {"limits": rlimits(limits, uid is not None), "module": "solution", "uid": uid,
                      "progress_fd": progress_write}
            if use_bwrap:
                config["workdir"] = bubblewrap.SANDBOX_SUBMISSION
                inner = [bubblewrap.inner_interpreter(), "-I", "-S", "-B",
                         bubblewrap.SANDBOX_AGENT + "/agent.py", json.dumps(config)]
                argv = bubblewrap.command(workdir, agent_dir, inner)
                env = {"PATH": "/usr/bin:/bin"}
            else:
                config["workdir"] = str(workdir)
                argv = [bubblewrap.interpreter(), "-I", "-S", "-B", str(agent_dir / "agent.py"),
                        json.dumps(config)]
                env = {"PATH": "/usr/bin:/bin", "HOME": str(workdir), "LANG": "C.UTF-8",
                       "TMPDIR": str(self._root / "tmp"), **memory.MALLOC_ENVIRONMENT}
            self._process = subprocess.Popen(
                argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                cwd=workdir, env=env, start_new_session=True, close_fds=True, pass_fds=(progress_write,),
            )
        except BaseException:
            if self._progress_read is not None:
                os.close(self._progress_read)
            self._cleanup_files()
            raise
        finally:
            if progress_write is not None:
                os.close(progress_write)
        self._drain = OutputDrain(self._process.stderr.fileno())
        self._channel = JsonLineChannel(self._process.stdin.fileno(), self._process.stdout.fileno(),
                                        progress_fd=self._progress_read)
        try:
            hello = self.request({"op": "hello"}, SANDBOX_START_TIMEOUT)
        except SandboxFailure as failure:
            output = self.output()
            self.close()
            raise SandboxFailure("crashed", f"the sandbox did not start ({failure.message}): {output[-500:]}") from None
        if not hello.get("ok"):
            self.close()
            raise SandboxFailure("crashed", "the sandbox did not start")

    def _prepare(self, files: Mapping[str, bytes], uid: int | None) -> tuple[Path, Path]:
        workdir = self._root / "submission"
        agent_dir = self._root / "agent"
        private_tmp = self._root / "tmp"
        for folder in (workdir, agent_dir, private_tmp):
            folder.mkdir()
        for relative, content in files.items():
            target = workdir / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        shutil.copyfile(agent_module.__file__, agent_dir / "agent.py")
        # Readable by the sandbox's uid whatever the umask; writable by nobody but root.
        os.chmod(self._root, 0o711)
        for path in [workdir, agent_dir, *workdir.rglob("*"), *agent_dir.rglob("*")]:
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        if uid is not None:
            os.chown(private_tmp, uid, uid)
        return workdir, agent_dir

    def _exit_failure(self) -> SandboxFailure:
        try:
            code = self._process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return SandboxFailure("crashed", "the sandbox closed its channel")
        return exit_failure(code, init_reports_signals=self._use_bwrap)

    def output(self) -> str:
        return self._drain.text()

    def memory_probe(self) -> memory.PeakMemory | None:
        """The agent's memory from the host's /proc: the agent is the process
        started here, or under bubblewrap the first child of bubblewrap's init."""
        if self._memory is None:
            pid = self._process.pid
            if self._use_bwrap:
                inner = memory.oldest_child(pid)
                pid = memory.oldest_child(inner) if inner else None
            probe = memory.PeakMemory(pid, sample=not self._use_bwrap) if pid else None
            self._memory = probe if probe is not None and probe.usable() else False
        return self._memory or None

    def pause(self) -> None:
        self._signal_everything(signal.SIGSTOP)

    def resume(self) -> None:
        self._signal_everything(signal.SIGCONT)

    def _signal_everything(self, signum: int) -> None:
        """The process, its descendants (setsid cannot hide them) and, with a
        dedicated uid, every process of that uid."""
        pids = identity.sandbox_processes(self._process.pid, None if self._user is None else self._user.uid)
        for pid in pids:
            try:
                os.kill(pid, signum)
            except (ProcessLookupError, PermissionError):
                pass

    def _kill(self) -> None:
        try:
            os.killpg(self._process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if self._user is not None:
            self._user.kill_all()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._kill()
        self._drain.join(timeout=2)
        for stream in (self._process.stdin, self._process.stdout, self._process.stderr):
            try:
                stream.close()
            except OSError:
                pass
        os.close(self._progress_read)
        self._cleanup_files()

    def _cleanup_files(self) -> None:
        try:
            if self._user is not None:
                self._user.release()
                self._user = None
        finally:
            scratch.remove(self._root)  # read-only modes and the sandbox uid's files included
