"""The Docker sandbox's share of a submission's time, against a plain `docker run`.

Per run, interleaved so both see the same machine load:
  - plain:   `docker run --rm IMAGE python3 -c pass` (the docker CLI, timed as a subprocess)
  - sandbox: create + attach + start + payload + agent hello, import, first call, remove
             (DockerBackend.start ... close), with each phase timed
Then the JSON round trip of one call on a live sandbox (median of many).

    python3 benchmarks/docker_startup.py --image grader-python:bookworm
    python3 benchmarks/docker_startup.py --runs 20 --out benchmarks/results/docker_startup.txt

Targets (issue): sandbox median under 0.5 s, within 1.3x the plain run's
median, round trip under 1 ms.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from grader.agent.agent import encode  # noqa: E402
from grader.sandbox import docker as docker_sandbox  # noqa: E402
from grader.sandbox.base import SandboxLimits  # noqa: E402

LIMITS = SandboxLimits(memory_mb=256, cpu_seconds=60)
SOURCE = b"def add(a, b):\n    return a + b\n"
PHASES = ("create_container", "attach_socket", "start", "remove_container")


def plain_run(image: str) -> float:
    started = time.perf_counter()
    subprocess.run(["docker", "run", "--rm", image, "python3", "-c", "pass"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def instrument(api, phases: dict) -> None:
    for name in PHASES:
        original = getattr(api, name)

        def timed(*args, _original=original, _name=name, **kwargs):
            started = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                phases.setdefault(_name, []).append(time.perf_counter() - started)
        setattr(api, name, timed)


def sandbox_run(backend, phases: dict) -> float:
    started = time.perf_counter()
    sandbox = backend.start({"solution.py": SOURCE}, LIMITS)
    ready = time.perf_counter()
    sandbox.request({"op": "import", "entry_points": ["add"]}, 10)
    sandbox.request({"op": "run", "steps": [{"name": "add", "args": encode([1, 2])}]}, 10)
    first_call = time.perf_counter()
    sandbox.close()
    ended = time.perf_counter()
    phases.setdefault("start() total (to agent hello)", []).append(ready - started)
    phases.setdefault("import + first call", []).append(first_call - ready)
    phases.setdefault("close() (remove)", []).append(ended - first_call)
    return ended - started


def round_trip(backend, calls: int) -> list[float]:
    times = []
    with backend.start({"solution.py": SOURCE}, LIMITS) as sandbox:
        sandbox.request({"op": "import", "entry_points": ["add"]}, 10)
        request = {"op": "run", "steps": [{"name": "add", "args": encode([1, 2])}]}
        for _ in range(calls):
            started = time.perf_counter()
            sandbox.request(request, 10)
            times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--image", default=docker_sandbox.configured_image())
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    backend = docker_sandbox.DockerBackend(args.image)
    backend.prepare(pull=False)
    phases: dict[str, list[float]] = {}
    instrument(backend.client().api, phases)
    plain_run(args.image)                       # warm both paths once
    sandbox_run(backend, {})
    phases.clear()
    plains, sandboxes = [], []
    for _ in range(args.runs):
        plains.append(plain_run(args.image))
        sandboxes.append(sandbox_run(backend, phases))
    trips = round_trip(backend, args.calls)

    version = backend.client().api.version()
    plain_median, sandbox_median = statistics.median(plains), statistics.median(sandboxes)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        f"# Docker sandbox startup, {args.runs} interleaved runs, image {args.image}, "
        f"Docker {version.get('Version')}, {platform.node()} ({os.cpu_count()} cores, load {load:.1f}), "
        f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M')}",
        f"{'measure':44} {'median s':>9} {'min s':>7} {'max s':>7}",
        f"{'plain: docker run --rm IMAGE python3 -c pass':44} {plain_median:9.3f} {min(plains):7.3f} {max(plains):7.3f}",
        f"{'sandbox: start..first call..remove':44} {sandbox_median:9.3f} {min(sandboxes):7.3f} {max(sandboxes):7.3f}",
    ]
    for name, values in phases.items():
        lines.append(f"{'  ' + name:44} {statistics.median(values):9.3f} {min(values):7.3f} {max(values):7.3f}")
    ratio = sandbox_median / plain_median
    trip_median = statistics.median(trips)
    lines += [
        f"sandbox / plain (medians): {ratio:.2f}  (target <= 1.3)",
        f"sandbox median under 0.5 s: {'yes' if sandbox_median < 0.5 else 'NO'}",
        f"round trip of one call, {args.calls} calls: median {trip_median * 1e3:.3f} ms, "
        f"p90 {sorted(trips)[int(len(trips) * 0.9)] * 1e3:.3f} ms (target < 1 ms)",
    ]
    print("\n".join(lines))
    if args.out:
        args.out.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
