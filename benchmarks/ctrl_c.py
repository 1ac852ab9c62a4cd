"""Ctrl-C at random moments: `grader submit --sandbox docker` on a slow
submission gets SIGINT at a uniformly random delay after its container
appears (the window where the container starts and pytest and Hypothesis
are imported), and must exit 130 every time with no container left.

    python3 benchmarks/ctrl_c.py --image grader-python:bookworm --runs 100 --out benchmarks/results/ctrl_c.txt
"""

from __future__ import annotations

import argparse
import collections
import os
import platform
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SLOW = ("import time\ndef add(a, b):\n    time.sleep(1.5)\n    return a + b\n"
        "class Counter:\n    def __init__(self):\n        self.n = 0\n"
        "    def increment(self):\n        self.n += 1\n        return self.n\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--image", default="grader-python:bookworm")
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--min-delay", type=float, default=0.0)
    parser.add_argument("--max-delay", type=float, default=0.8)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    import docker
    client = docker.from_env()
    outcomes: collections.Counter = collections.Counter()
    bad = []
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "slow"
        folder.mkdir()
        (folder / "solution.py").write_text(SLOW)
        for _ in range(args.runs):
            delay = random.uniform(args.min_delay, args.max_delay)
            process = subprocess.Popen(
                [sys.executable, "-m", "grader", "--challenges-dir", str(ROOT / "tests" / "fixtures" / "challenges"),
                 "submit", str(folder), "--challenge", "adder", "--sandbox", "docker", "--image", args.image,
                 "--format", "json"],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ, NO_COLOR="1", PYTHONPATH=str(ROOT)),
                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
            mine = {"label": ["grader.managed=1", f"grader.pid={process.pid}"]}
            while not client.api.containers(all=True, filters=mine) and process.poll() is None:
                time.sleep(0.01)
            time.sleep(delay)
            process.send_signal(signal.SIGINT)
            process.communicate(timeout=120)
            left = client.api.containers(all=True, filters=mine)
            outcome = f"exit {process.returncode}" + (", container left" if left else "")
            outcomes[outcome] += 1
            if process.returncode != 130 or left:
                bad.append(f"{delay:.3f} s: {outcome}")
    lines = [f"# Ctrl-C at a random delay U({args.min_delay}, {args.max_delay}) s after the container appears, "
             f"{args.runs} runs, image {args.image}, {platform.node()} ({os.cpu_count()} cores), "
             f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M')}",
             "outcomes: " + ", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items()))]
    lines += [f"  wrong: {line}" for line in bad]
    lines.append("RESULT: " + ("ok" if not bad else "FAILED"))
    text = "\n".join(lines) + "\n"
    print(text, end="")
    if args.out:
        args.out.write_text(text)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
