"""Ctrl-C in `grader grade`: how long a batch takes to stop, and what it says.

A batch of slow submissions (two workers, process sandbox) gets SIGINT to
its whole process group, as a terminal's Ctrl-C, at a uniformly random
delay after both workers have a sandbox running. Each run records the time
from the signal to the exit, the exit code, how many times "Interrupted"
was printed, and what was left in its private TMPDIR. Target: exit 130,
said once, nothing left, and stopped within a second or two.

    python3 benchmarks/batch_ctrl_c.py --runs 20 --out benchmarks/results/batch_ctrl_c.txt
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SLOW = "import time\n\n\ndef reverse_string(s):\n    time.sleep(5)\n    return s[::-1]\n"


def _sandboxes(tmpdir: Path) -> int:
    return sum(1 for entry in tmpdir.iterdir() if entry.name.startswith("grader-sandbox-"))


def one_run(delay: float) -> tuple[float, int, int, list[str]]:
    with tempfile.TemporaryDirectory(prefix="grader-bench-ctrl-c-") as scratch:
        base = Path(scratch)
        tmpdir = base / "tmp"
        tmpdir.mkdir()
        subs = []
        for index in range(4):
            folder = base / "subs" / f"slow-{index}"
            folder.mkdir(parents=True)
            (folder / "solution.py").write_text(SLOW + f"# {index}\n")
            subs.append(str(folder))
        env = dict(os.environ, TMPDIR=str(tmpdir), NO_COLOR="1", PYTHONPATH=str(ROOT))
        process = subprocess.Popen(
            [sys.executable, "-m", "grader", "grade", *subs, "--challenge", "reverse-string", "--sandbox", "process",
             "--no-complexity", "--jobs", "2", "--db", str(base / "results.db")],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        deadline = time.monotonic() + 120
        while _sandboxes(tmpdir) < 4 and time.monotonic() < deadline:   # two sandboxes, two harness folders
            time.sleep(0.05)
        time.sleep(delay)
        sent = time.monotonic()
        os.killpg(process.pid, signal.SIGINT)
        _, stderr = process.communicate(timeout=120)
        took = time.monotonic() - sent
        left = sorted(entry.name for entry in tmpdir.iterdir() if entry.name != "grader-uids")
        return took, process.returncode, stderr.decode().count("Interrupted"), left


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    rng = random.Random(0)
    rows = [one_run(rng.uniform(0.0, 3.0)) for _ in range(args.runs)]
    times = sorted(row[0] for row in rows)
    lines = [
        f"# Ctrl-C (SIGINT to the group) in `grader grade` of 4 slow submissions, 2 jobs, process sandbox, "
        f"{args.runs} runs at U(0, 3) s into the batch, {platform.node()} ({os.cpu_count()} cores), "
        f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M')}",
        f"seconds from the signal to the exit: median {statistics.median(times):.2f}, "
        f"min {times[0]:.2f}, max {times[-1]:.2f}",
        f"exit codes: {sorted({row[1] for row in rows})}",
        f"'Interrupted' printed: {sorted({row[2] for row in rows})} time(s)",
        f"runs leaving something in TMPDIR: {sum(1 for row in rows if row[3])}",
    ]
    ok = all(row[1] == 130 and row[2] == 1 and not row[3] for row in rows) and times[-1] < 3.0
    lines.append(f"RESULT: {'ok' if ok else 'FAILED'}")
    text = "\n".join(lines) + "\n"
    print(text, end="")
    if args.out:
        args.out.write_text(text)


if __name__ == "__main__":
    main()
