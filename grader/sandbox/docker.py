"""The Docker sandbox: a hardened container per graded submission.

The agent runs in a container started through the Docker SDK for Python
with no network, an unprivileged user, a read-only root filesystem and only
a small private tmpfs at ``/tmp``, memory (swap included), CPU and process
limits, every capability dropped, ``no-new-privileges``, ulimits and an init
process. No host folder is mounted: the agent and the submission travel as a
payload on the container's attached stdin (``docker_payload``), so a remote
engine (``DOCKER_HOST``) works as well as a local one.

Every deadline is kept on the host; at a time-out the container is killed
through the engine, whatever the submission does with signals. Every
container carries the label ``grader.managed=1``; the sandbox removes its
own in ``close()``, the process removes any it still holds at exit (also on
SIGTERM and Ctrl-C), and ``grader cleanup`` removes what a killed grader
left. Errors of the Docker SDK never leave this module: they become
``SandboxUnavailable`` (with what to do) or a ``SandboxFailure`` verdict.
"""

from __future__ import annotations

import atexit
import contextlib
import http.client
import os
import signal
import socket
import threading
import time
import urllib.parse
from typing import Iterator, Mapping

from grader.constants import FILE_SIZE_LIMIT, OPEN_FILES_LIMIT, PROCESS_LIMIT, SANDBOX_START_TIMEOUT
from grader.errors import SandboxUnavailable
from grader.sandbox import docker_payload, memory
from grader.sandbox.attach import AttachChannel, AttachStream, raw_socket
from grader.sandbox.base import Backend, Sandbox, SandboxFailure, SandboxLimits
from grader.sandbox.channel import CappedOutput, ChannelSandbox, exit_failure

DEFAULT_IMAGE = "python:3.12-slim"
IMAGE_ENV = "GRADER_IMAGE"
LABEL = "grader.managed"
USER = "65534:65534"                 # nobody:nogroup, by number: any image works
TMPFS_SIZE_BYTES = 16 << 20
SHM_SIZE_BYTES = 1 << 20
MEMORY_HEADROOM_MB = 64              # interpreter, agent and /tmp above the address-space limit
CPUS = 1
API_TIMEOUT = 20                     # seconds for any one call to the engine
PROBE_TIMEOUT = 2.0
LOG_MAX_SIZE = "1m"


def configured_image(image: str | None = None) -> str:
    """--image, else $GRADER_IMAGE, else the default."""
    return image or os.environ.get(IMAGE_ENV) or DEFAULT_IMAGE


def container_memory_mb(limits: SandboxLimits) -> int:
    return limits.memory_mb + MEMORY_HEADROOM_MB


def agent_limits(limits: SandboxLimits) -> dict:
    """rlimits the agent applies inside the container, as in the process
    sandbox (an address-space limit makes a big allocation a MemoryError the
    submission sees, like everywhere else); processes are capped by the
    container's pids limit instead, since RLIMIT_NPROC counts per uid on the
    whole host."""
    return {"address_space": limits.memory_mb << 20, "cpu_seconds": limits.cpu_seconds,
            "file_size": FILE_SIZE_LIMIT, "open_files": OPEN_FILES_LIMIT, "core": 0}


def labels() -> dict:
    """Who made a container: `grader cleanup` removes it only once that grader
    is gone (its pid ended, or the pid now belongs to a process started later)."""
    from grader.sandbox.scratch import process_start_time
    return {LABEL: "1", "grader.pid": str(os.getpid()), "grader.host": socket.gethostname(),
            "grader.start": str(process_start_time(os.getpid()) or 0)}


def run_options(limits: SandboxLimits, image: str) -> dict:
    """The keyword arguments of ``client.containers.run`` for one sandbox."""
    memory = f"{container_memory_mb(limits)}m"
    return {
        "image": image,
        "command": docker_payload.command(),
        "user": USER,
        "environment": docker_payload.ENVIRONMENT,
        "working_dir": "/tmp",
        "hostname": "sandbox",
        "labels": labels(),
        "stdin_open": True,          # the payload and the requests; closed when the grader detaches
        "tty": False,                # stdout and stderr stay apart (multiplexed frames)
        "detach": False,             # with stdin_open: the engine closes stdin once we detach
        "network_mode": "none",
        "network_disabled": True,    # and no network sandbox to set up: the engine starts it ~0.25 s faster
        "read_only": True,
        "tmpfs": {"/tmp": f"rw,noexec,nosuid,nodev,size={TMPFS_SIZE_BYTES >> 10}k,mode=1777"},
        "shm_size": SHM_SIZE_BYTES,
        "mem_limit": memory,
        "memswap_limit": memory,     # swap equal to the memory limit: no swap at all
        "nano_cpus": CPUS * 1_000_000_000,
        "pids_limit": PROCESS_LIMIT,
        "cap_drop": ["ALL"],
        "security_opt": ["no-new-privileges"],
        "ulimits": [{"name": "nofile", "soft": OPEN_FILES_LIMIT, "hard": OPEN_FILES_LIMIT},
                    {"name": "fsize", "soft": FILE_SIZE_LIMIT, "hard": FILE_SIZE_LIMIT},
                    {"name": "core", "soft": 0, "hard": 0}],
        "init": True,
        "log_config": {"type": "json-file", "config": {"max-size": LOG_MAX_SIZE, "max-file": "1"}},
        "privileged": False,
    }


# --------------------------------------------------------------------------
# Errors of the SDK, translated at the edge
# --------------------------------------------------------------------------

def _docker():
    try:
        import docker   # slow to import: only when Docker is actually used
    except ImportError:
        raise SandboxUnavailable(
            "The Docker sandbox needs the Docker SDK for Python, which is not installed. "
            "Install it (pip install 'docker>=7'), or grade with --sandbox process.") from None
    return docker


def _engine_address() -> str:
    return os.environ.get("DOCKER_HOST") or "unix:///var/run/docker.sock"


def _reason(exc: BaseException) -> str:
    text = getattr(exc, "explanation", None) or str(exc) or type(exc).__name__
    text = " ".join(str(text).split())
    return text if len(text) <= 300 else text[:300] + "..."


def engine_unreachable_message(exc: BaseException | None = None) -> str:
    reason = f" ({_reason(exc)})" if exc is not None else ""
    return (f"No Docker engine answers at {_engine_address()}{reason}. Start it (for example "
            "`sudo systemctl start docker`, or `dockerd &` as root), make sure you may use it (be in the "
            "`docker` group, or set DOCKER_HOST to the engine you want), then check with `grader doctor`. "
            "To grade without Docker, use --sandbox process.")


def missing_image_message(image: str, exc: BaseException | None = None) -> str:
    reason = f" ({_reason(exc)})" if exc is not None else ""
    return (f"The Docker image {image} is not on this engine and could not be pulled{reason}. "
            f"On a machine with internet access run `docker pull {image} && docker save {image} -o image.tar`, "
            "copy image.tar here and run `docker load -i image.tar`; or use any local image that has "
            "python3 with --image NAME (or GRADER_IMAGE=NAME), for example one built offline with "
            "`debootstrap --variant=minbase --include=python3 bookworm DIR && tar -C DIR -c . | "
            "docker import - grader-python:bookworm`. Nothing is installed in the image: any python3 works. "
            "Or grade with --sandbox process.")


@contextlib.contextmanager
def engine_errors(doing: str) -> Iterator[None]:
    """Turn the SDK's and the transport's errors into SandboxUnavailable."""
    try:
        yield
    except SandboxUnavailable:
        raise
    except Exception as exc:  # noqa: BLE001 - docker.errors.*, requests.*, OSError
        docker = _docker()
        import requests
        if isinstance(exc, (requests.exceptions.ConnectionError, requests.exceptions.Timeout, OSError)):
            raise SandboxUnavailable(engine_unreachable_message(exc)) from None
        if isinstance(exc, docker.errors.DockerException):
            raise SandboxUnavailable(
                f"The Docker engine refused to {doing}: {_reason(exc)}. Check the engine with "
                "`grader doctor`, or grade with --sandbox process.") from None
        raise


def connect(timeout: float = API_TIMEOUT):
    """A DockerClient that answered a ping, or SandboxUnavailable."""
    docker = _docker()
    try:
        client = docker.from_env(timeout=timeout)
        client.ping()
    except Exception as exc:  # noqa: BLE001 - any failure to reach the engine
        raise SandboxUnavailable(engine_unreachable_message(exc)) from None
    return client


# --------------------------------------------------------------------------
# A quick probe for `--sandbox auto`, without importing the SDK when possible
# --------------------------------------------------------------------------

class _UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float):
        super().__init__("localhost", timeout=timeout)
        self._path = path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self._path)


def _unix_get(path: str, url: str) -> int:
    connection = _UnixHTTPConnection(path, PROBE_TIMEOUT)
    try:
        connection.request("GET", url)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def engine_and_image_present(image: str | None = None) -> bool:
    """Whether an engine answers and already holds the image (no pull)."""
    return not why_not_usable(image)


def why_not_usable(image: str | None = None) -> str:
    """Why ``--sandbox auto`` cannot use Docker with this image, "" when it
    can: no engine answers, or the engine lacks the image (auto never pulls)."""
    image = configured_image(image)
    address = _engine_address()
    unreachable = f"no Docker engine answers at {address}"
    missing = f"the Docker image {image} is not on the engine at {address}"
    if address.startswith("unix://"):
        path = address[len("unix://"):]
        if not os.path.exists(path):
            return unreachable
        try:
            if _unix_get(path, "/_ping") != 200:
                return unreachable
            return "" if _unix_get(path, "/images/" + urllib.parse.quote(image, safe="") + "/json") == 200 else missing
        except (OSError, http.client.HTTPException):
            return unreachable
    try:
        client = connect(timeout=PROBE_TIMEOUT)
    except Exception:  # noqa: BLE001 - any failure means: not usable here
        return unreachable
    try:
        client.api.inspect_image(image)
        return ""
    except Exception:  # noqa: BLE001
        return missing


# --------------------------------------------------------------------------
# Containers this process holds, removed at exit and on SIGTERM
# --------------------------------------------------------------------------

_live: dict[int, "DockerSandbox"] = {}
_live_lock = threading.Lock()
_clients: list = []
_hooks_installed = False


def _install_exit_hooks() -> None:
    """atexit (a normal exit, Ctrl-C, an exception) closes our sandboxes;
    SIGTERM and SIGHUP remove our containers, then end the process as the
    signal would have."""
    global _hooks_installed
    if _hooks_installed:
        return
    _hooks_installed = True
    atexit.register(remove_own_containers)
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGHUP):
            if signal.getsignal(signum) is signal.SIG_DFL:
                signal.signal(signum, _die_on_signal)


def _die_on_signal(signum, frame) -> None:
    # A fresh client: the interrupted code may hold the shared one's pool lock.
    try:
        _remove_labelled(connect(timeout=5))
    except BaseException:  # noqa: BLE001 - best effort; `grader cleanup` remains
        pass
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _remove_labelled(client) -> None:
    """Remove every container this process labelled, live or not."""
    mine = client.api.containers(all=True, filters={"label": [
        f"{LABEL}=1", f"grader.pid={os.getpid()}", f"grader.host={socket.gethostname()}"]})
    for container in mine:
        try:
            client.api.remove_container(container["Id"], force=True)
        except Exception:  # noqa: BLE001 - already gone
            pass


def remove_containers_of(pids) -> None:
    """Remove the containers of grader processes that died without removing
    them (a batch worker killed under its sandbox). Best effort."""
    try:
        client = connect(timeout=5)
        for pid in pids:
            for container in client.api.containers(all=True, filters={"label": [
                    f"{LABEL}=1", f"grader.pid={pid}", f"grader.host={socket.gethostname()}"]}):
                client.api.remove_container(container["Id"], force=True)
    except Exception:  # noqa: BLE001 - `grader cleanup` remains
        pass


def remove_own_containers() -> None:
    """Close every live sandbox, then remove any container this process
    labelled (one interrupted between create and registration)."""
    with _live_lock:
        sandboxes = list(_live.values())
    for sandbox in sandboxes:
        try:
            sandbox.close()
        except BaseException:  # noqa: BLE001 - best effort at exit
            pass
    for client in _clients:
        try:
            _remove_labelled(client)
        except BaseException:  # noqa: BLE001
            pass


def managed_containers(client) -> list[dict]:
    with engine_errors("list containers"):
        return client.api.containers(all=True, filters={"label": f"{LABEL}=1"})


def owner_gone(container: dict) -> bool:
    """Whether the grader that started a container has ended. Containers of
    another host (a shared remote engine) cannot be judged, so they are kept."""
    from grader.sandbox.scratch import owner_alive
    found = container.get("Labels") or {}
    if found.get("grader.host") != socket.gethostname():
        return False
    try:
        pid, start = int(found.get("grader.pid", "")), int(found.get("grader.start", "0") or 0)
    except ValueError:
        return False
    return not owner_alive(pid, start)


def remove_managed_containers(client, *, dry_run: bool = False) -> tuple[list[str], list[str]]:
    """Remove the containers of graders that are gone (``grader cleanup``):
    (removed, kept) short ids. A running grader's containers, or another
    host's, are kept: other graders may share the engine."""
    removed, kept = [], []
    for container in managed_containers(client):
        if not owner_gone(container):
            kept.append(container["Id"][:12])
            continue
        if dry_run:
            removed.append(container["Id"][:12])
            continue
        with engine_errors("remove a container"):
            try:
                client.api.remove_container(container["Id"], force=True)
            except _docker().errors.NotFound:
                continue
        removed.append(container["Id"][:12])
    return removed, kept


# --------------------------------------------------------------------------
# Backend and sandbox
# --------------------------------------------------------------------------

class DockerBackend(Backend):
    name = "docker"

    def __init__(self, image: str | None = None):
        self.image = configured_image(image)
        self._client = None
        self._image_ready = False

    def client(self):
        if self._client is None:
            self._client = connect()
            _clients.append(self._client)
        return self._client

    def image_present(self) -> bool:
        docker = _docker()
        with engine_errors("look up the image"):
            try:
                self.client().api.inspect_image(self.image)
                return True
            except docker.errors.ImageNotFound:
                return False

    def prepare(self, pull: bool = True, console=None) -> None:
        """Reach the engine and make sure the image is there, pulling it
        (with a progress bar on ``console``) when it is missing."""
        if self._image_ready:
            return
        if not self.image_present():
            if not pull:
                raise SandboxUnavailable(missing_image_message(self.image))
            self._pull(console)
        self._image_ready = True

    def _pull(self, console) -> None:
        docker = _docker()
        from docker.utils import parse_repository_tag
        repository, tag = parse_repository_tag(self.image)
        try:
            stream = self.client().api.pull(repository, tag=tag or "latest", stream=True, decode=True)
            if console is None:
                events = list(stream)
            else:
                events = _pull_with_progress(stream, console, self.image)
            errors = [e.get("error") for e in events if e.get("error")]
            if errors:
                raise docker.errors.APIError(errors[-1])
        except Exception as exc:  # noqa: BLE001 - offline, unknown image, refused
            raise SandboxUnavailable(missing_image_message(self.image, exc)) from None
        if not self.image_present():
            raise SandboxUnavailable(missing_image_message(self.image))

    def start(self, files: Mapping[str, bytes], limits: SandboxLimits) -> Sandbox:
        self.prepare(pull=True)
        return DockerSandbox(self.client(), self.image, files, limits)

    def protections(self, limits: SandboxLimits) -> list[str]:
        return protections(limits, self.image)


def protections(limits: SandboxLimits, image: str) -> list[str]:
    return [
        f"Docker container per submission (image {image}), killed by the host at the deadline "
        "and removed afterwards",
        "no network (network mode none)",
        f"read-only root filesystem, only a private /tmp (tmpfs, {TMPFS_SIZE_BYTES >> 20} MiB, noexec, "
        "nosuid); no host folder mounted",
        f"unprivileged user {USER}, all capabilities dropped, no-new-privileges, init process",
        f"container limits: memory {container_memory_mb(limits)} MiB with no swap, {CPUS} CPU, "
        f"{PROCESS_LIMIT} processes",
        f"rlimits: address space {limits.memory_mb} MiB, CPU {limits.cpu_seconds} s, "
        f"file size {FILE_SIZE_LIMIT >> 20} MiB, {OPEN_FILES_LIMIT} open files, no core dumps",
    ]


def _pull_with_progress(stream, console, image: str) -> list[dict]:
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn
    events, layers = [], {}
    with Progress(TextColumn(f"Pulling {image}"), BarColumn(), DownloadColumn(),
                  console=console, transient=True) as progress:
        task = progress.add_task("pull", total=None)
        for event in stream:
            events.append(event)
            detail = event.get("progressDetail") or {}
            if event.get("id") and detail.get("total") and event.get("status") == "Downloading":
                layers[event["id"]] = (detail.get("current", 0), detail["total"])
            elif event.get("id") in layers and event.get("status") in ("Download complete", "Pull complete"):
                total = layers[event["id"]][1]
                layers[event["id"]] = (total, total)
            if layers:
                progress.update(task, completed=sum(c for c, _ in layers.values()),
                                total=sum(t for _, t in layers.values()))
    return events


# The whole of /proc read-only inside the container (it covers Docker's own
# read-only /proc paths): the submission cannot reset its memory high-water
# mark (clear_refs), which the host reads for space checks.
READONLY_PATHS = ["/proc"]


def _create_args(api, options: dict) -> dict:
    """``containers.run`` keyword arguments as ``APIClient.create_container``
    takes them (the SDK's own translation, as ``containers.create`` does it;
    calling it directly saves the inspect that follows every create), plus
    the read-only /proc, which the SDK has no keyword for."""
    try:
        from docker.models.containers import _create_container_args
        args = _create_container_args(dict(options, version=api._version))
    except (ImportError, AttributeError, TypeError):   # another SDK: use the public model API
        return {}
    args["host_config"]["ReadonlyPaths"] = list(READONLY_PATHS)
    return args


class DockerSandbox(ChannelSandbox):
    def __init__(self, client, image: str, files: Mapping[str, bytes], limits: SandboxLimits):
        self._api = client.api
        self._limits = limits
        self._closed = False
        self._dead: SandboxFailure | None = None
        self._output = CappedOutput()
        self._stream: AttachStream | None = None
        self.id: str | None = None
        self._memory: memory.PeakMemory | None | bool = None
        _install_exit_hooks()
        options = run_options(limits, image)
        docker = _docker()
        try:
            with engine_errors("create the sandbox's container"):
                try:
                    args = _create_args(self._api, options)
                    if args:
                        self.id = self._api.create_container(**args)["Id"]
                    else:
                        self.id = client.containers.create(**options).id
                except docker.errors.ImageNotFound as exc:
                    raise SandboxUnavailable(missing_image_message(image, exc)) from None
                with _live_lock:
                    _live[id(self)] = self
                attached = self._api.attach_socket(
                    self.id, params={"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1})
                self._stream = AttachStream(raw_socket(attached), self._output)
                self._attached = attached   # keeps the HTTP response (and a TLS socket) alive
                self._api.start(self.id)
            self._channel = AttachChannel(self._stream)
            config = {"workdir": docker_payload.WORKDIR, "module": "solution",
                      "limits": agent_limits(limits), "uid": None}
            try:
                self._channel.send_raw(docker_payload.build(files, config), SANDBOX_START_TIMEOUT)
            except (TimeoutError, OSError) as exc:
                raise SandboxFailure("crashed", f"the container did not take the submission ({exc})") from None
            try:
                hello = self.request({"op": "hello"}, SANDBOX_START_TIMEOUT)
            except SandboxFailure as failure:
                raise SandboxFailure("crashed", f"the sandbox did not start ({failure.message}): "
                                                f"{self.output()[-500:]}") from None
            if not hello.get("ok"):
                raise SandboxFailure("crashed", "the sandbox did not start")
        except BaseException:
            self.close()
            raise

    # -- requests ----------------------------------------------------------------

    def _kill(self) -> None:
        try:
            self._api.kill(self.id)
        except Exception:  # noqa: BLE001 - already stopped, removed, or the engine is gone
            pass

    def _exit_failure(self) -> SandboxFailure:
        """Why the container's stream ended: its exit code and OOM flag."""
        docker = _docker()
        import requests
        try:
            code = self._api.wait(self.id, timeout=5).get("StatusCode")
            state = self._api.inspect_container(self.id)["State"]
        except docker.errors.NotFound:
            return SandboxFailure("crashed", "the sandbox's container vanished (it was removed "
                                             "from outside the grader)")
        except (docker.errors.DockerException, requests.exceptions.RequestException, OSError) as exc:
            return SandboxFailure("crashed", f"the sandbox's container stopped answering ({_reason(exc)})")
        if state.get("OOMKilled"):
            return SandboxFailure("memory", f"the container went over its memory limit of "
                                            f"{container_memory_mb(self._limits)} MiB and was killed")
        if code is None:
            code = state.get("ExitCode")
        return exit_failure(code, init_reports_signals=True)

    def memory_probe(self) -> memory.PeakMemory | None:
        """The agent's memory from this host's /proc: the first child of the
        container's init. Only for a local engine: the process must be in
        this container's cgroup, or space is not measured (a remote engine)."""
        if self._memory is None:
            self._memory = False
            try:
                init = self._api.inspect_container(self.id)["State"]["Pid"]
            except Exception:  # noqa: BLE001 - the engine does not answer: no measurement
                return None
            agent = memory.oldest_child(init) if init else None
            if agent and self._in_this_container(agent):
                probe = memory.PeakMemory(agent, sample=False)
                self._memory = probe if probe.usable() else False
        return self._memory or None

    def _in_this_container(self, pid: int) -> bool:
        try:
            with open(f"/proc/{pid}/cgroup", encoding="utf-8", errors="replace") as handle:
                return self.id in handle.read()
        except OSError:
            return False

    # -- output and cleanup --------------------------------------------------------

    def _remove(self) -> None:
        """Kill and remove the container; wait out a removal already under
        way (409). If the engine is gone, `grader cleanup` finds it by label."""
        docker = _docker()
        for _ in range(50):
            try:
                self._api.remove_container(self.id, force=True)
                return
            except docker.errors.NotFound:
                return
            except docker.errors.APIError as exc:
                if exc.status_code != 409:
                    return
                time.sleep(0.1)
            except Exception:  # noqa: BLE001 - the engine does not answer
                return

    def output(self) -> str:
        return self._output.text()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            if self.id is not None:
                self._remove()
        finally:
            with _live_lock:
                _live.pop(id(self), None)
            if self._stream is not None:
                self._stream.close()
