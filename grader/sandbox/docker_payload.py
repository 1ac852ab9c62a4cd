"""What a Docker sandbox receives: a tiny bootstrap and one payload on its stdin.

No host folder is mounted and ``put_archive`` is refused once the root
filesystem is read-only, so the container runs ``python3 -I -S -B -c
BOOTSTRAP`` with its stdin attached. The host writes a 16-digit length, then
a JSON payload (the agent's source, the submission's files, the agent's
config and the environment). The bootstrap reads exactly that many bytes
with unbuffered reads, so the first request after it stays unread on the
stdin for the agent, writes the files into the private tmpfs at ``/tmp``,
runs the agent from memory and hands it the stdin/stdout protocol.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Mapping

from grader.agent import agent as agent_module
from grader.sandbox.memory import MALLOC_ENVIRONMENT

HEADER_DIGITS = 16
WORKDIR = "/tmp/submission"
ENVIRONMENT = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": WORKDIR, "LANG": "C.UTF-8", "TMPDIR": "/tmp",
               **MALLOC_ENVIRONMENT}

# Kept small and stdlib-only: it is a command-line argument of the container.
BOOTSTRAP = """\
import os, sys, json, types, binascii
def read(n):
    data = bytearray()
    while len(data) < n:
        chunk = os.read(0, n - len(data))
        if not chunk:
            raise SystemExit('grader bootstrap: the payload was cut short')
        data += chunk
    return bytes(data)
payload = json.loads(read(int(read(%d))))
os.environ.clear()
os.environ.update(payload['env'])
workdir = payload['config']['workdir']
os.makedirs(workdir, mode=0o755, exist_ok=True)
for name, content in payload['files'].items():
    path = os.path.join(workdir, name)
    os.makedirs(os.path.dirname(path), mode=0o755, exist_ok=True)
    with open(path, 'wb') as handle:
        handle.write(binascii.a2b_base64(content))
agent = types.ModuleType('grader_agent')
agent.__file__ = '/grader_agent.py'
sys.modules['grader_agent'] = agent
exec(compile(payload['agent'], '/grader_agent.py', 'exec'), agent.__dict__)
config = payload['config']
del payload, read
agent.serve(config)
""" % HEADER_DIGITS


def command() -> list[str]:
    """The container's command: isolated mode, no site-packages, no bytecode."""
    return ["python3", "-I", "-S", "-B", "-c", BOOTSTRAP]


def _agent_source() -> str:
    return Path(agent_module.__file__).read_text(encoding="utf-8")


def build(files: Mapping[str, bytes], config: dict) -> bytes:
    """The bytes to write to the container's stdin before the first request."""
    body = json.dumps({
        "agent": _agent_source(),
        "files": {name: base64.b64encode(content).decode("ascii") for name, content in files.items()},
        "config": config,
        "env": ENVIRONMENT,
    }).encode("utf-8")
    return b"%0*d" % (HEADER_DIGITS, len(body)) + body
