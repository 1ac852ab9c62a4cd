"""An in-process backend for the grader's own tests: the real agent, no isolation.

It runs the agent's request handler in this process on a private module
namespace, so harness behaviour can be tested (and its overhead measured)
without starting processes. Never use it for untrusted code.
"""

from __future__ import annotations

import contextlib
import gc
import json
import sys
import tempfile
import types
from pathlib import Path
from typing import Mapping

from grader.agent import agent as agent_module
from grader.sandbox.base import Backend, Sandbox, SandboxLimits


class FakeSandbox(Sandbox):
    def __init__(self, files: Mapping[str, bytes]):
        self._folder = tempfile.TemporaryDirectory(prefix="grader-fake-")
        for name, content in files.items():
            target = Path(self._folder.name) / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        module_name = f"solution_fake_{id(self)}"
        self._agent = agent_module.Agent(self._folder.name, module_name)
        self._loader = (module_name, Path(self._folder.name) / "solution.py")

    def request(self, message: dict, timeout: float) -> dict:
        message = json.loads(json.dumps(message))
        with _without_host_gc_callbacks():
            if message.get("op") == "import":
                return self._import(message)
            return json.loads(json.dumps(self._agent.handle(message)))

    def _import(self, message: dict) -> dict:
        name, path = self._loader
        if message.get("fixtures"):     # the challenge's sandbox_fixtures.py, as the agent loads it
            self._agent.load_fixtures(message["fixtures"])
        module = types.ModuleType(name)
        module.__file__ = str(path)
        try:
            exec(compile(path.read_bytes(), str(path), "exec"), module.__dict__)
        except BaseException as exc:  # noqa: BLE001
            return {"ok": False, "raised": agent_module.describe_exception(exc, self._folder.name)}
        self._agent.module = module
        missing = [n for n in message.get("entry_points", []) if not hasattr(module, n)]
        return {"ok": True, "missing": missing, "not_callable": []}

    def output(self) -> str:
        return ""

    def close(self) -> None:
        self._folder.cleanup()
        sys.modules.pop(self._loader[0], None)


@contextlib.contextmanager
def _without_host_gc_callbacks():
    """Run a step as the agent's own process would: without the host's gc callbacks.

    Hypothesis times garbage collection with a gc callback that reads
    ``time.perf_counter``; in this shared process a probe that fakes that
    clock (timer-decorator's) would count the callback's readings as the
    submission's. A real sandbox's agent has no such callback."""
    saved = gc.callbacks[:]
    gc.callbacks.clear()
    try:
        yield
    finally:
        gc.callbacks[:] = saved + [c for c in gc.callbacks if c not in saved]


class FakeBackend(Backend):
    name = "fake"

    def start(self, files: Mapping[str, bytes], limits: SandboxLimits) -> Sandbox:
        return FakeSandbox(files)

    def protections(self, limits: SandboxLimits) -> list[str]:
        return ["none: in-process fake for the grader's own tests"]
