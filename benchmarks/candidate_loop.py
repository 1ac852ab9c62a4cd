"""The candidate's loop, timed as a candidate sees it (issue 16, item 1).

Every figure is the wall time of a fresh process (interpreter start and
imports included), the median of RUNS:

* fast start: `grader --help`, `grader list`, `grader show lru-cache` and
  `grader start lru-cache DIR` (goal: at most 0.25 s each);
* `grader test` of each challenge's reference, copied into a workspace made
  by `grader start`, in the process sandbox (goal: at most 1.0 s each);
* the cost of the trust boundary itself: the same `grader test`, run by the
  same code, with the sandbox swapped for the in-process fake backend
  (grader/sandbox/fake.py: the real agent in the grader's own process, no
  isolation). The two run in turn, A B A B, and the ratio is taken pair by
  pair, so the machine's drift cancels.

    python3 benchmarks/candidate_loop.py --runs 10 --out benchmarks/results/candidate_loop.txt
    python3 benchmarks/candidate_loop.py --runs 3 --only lru-cache pair-sum
    python3 benchmarks/candidate_loop.py --runs 10 --before /tmp/old-grader --only quicksort

With ``--before CHECKOUT`` (``git worktree add /tmp/old-grader <commit>``)
only `grader test` is timed: the older checkout and this one in turn, in
the same workspace, so the ratio (pair by pair) holds on a busy machine too;
the CPU seconds of each run (the grader and its sandbox) are shown beside
the wall time, since they move less with the machine's load.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The history is kept, as a candidate's is, in a file of the run's own (set in main). Bytecode is cached as
# in an installed grader (an install compiles it): PYTHONDONTWRITEBYTECODE, set in some shells and images,
# would make every run compile the grader's modules again (about 70 ms a run here).
ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
ENV.update(NO_COLOR="1", PYTHONPATH=str(ROOT))

# `grader test` with the fake backend: the command's own code, only the backend differs.
FAKE_TEST = """
import sys
from grader.cli import main as grader_main
from grader.sandbox import select
from grader.sandbox.fake import FakeBackend
select.get_backend = lambda *args, **kwargs: FakeBackend()
import grader.cli.grading_commands as commands
commands.get_backend = select.get_backend
grader_main.main(sys.argv[1:])
"""


def compiled_like_an_install(*roots: Path) -> None:
    """Byte-compile the grader and its challenges (the hidden tests among
    them) as installing the wheel does; a checkout otherwise compiles the
    hidden tests again on every run (pytest imports them without writing
    bytecode)."""
    for root in roots:
        for folder in ("grader", "challenges", "reference"):
            if (root / folder).is_dir():
                compileall.compile_dir(str(root / folder), quiet=1)


def wall(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} in {cwd} exited {done.returncode}: {done.stdout[-3000:]}"
                         f"{done.stderr[-2000:]}")
    return seconds


def grader(*args: str) -> list[str]:
    return [sys.executable, "-m", "grader", *args]


def fast_start(runs: int, scratch: Path) -> list[tuple[str, float, float]]:
    rows = []
    for label, make in (("grader --help", lambda i: grader("--help")),
                        ("grader list", lambda i: grader("list")),
                        ("grader show lru-cache", lambda i: grader("show", "lru-cache")),
                        ("grader start lru-cache DIR", lambda i: grader("start", "lru-cache", f"ws-{i}"))):
        wall(make("warm-up"), scratch)
        times = [wall(make(i), scratch) for i in range(runs)]
        rows.append((label, statistics.median(times), max(times)))
    return rows


def workspace(slug: str, scratch: Path) -> Path:
    folder = scratch / f"loop-{slug}"
    wall(grader("start", slug, str(folder)), scratch)
    shutil.copyfile(ROOT / "reference" / slug / "solution.py", folder / "solution.py")
    return folder


def test_times(slugs: list[str], runs: int, scratch: Path) -> list[tuple[str, float, float, float, float]]:
    rows = []
    for slug in slugs:
        folder = workspace(slug, scratch)
        real = grader("test", "--sandbox", "process")
        fake = [sys.executable, "-c", FAKE_TEST, "test"]
        wall(real, folder), wall(fake, folder)          # warm-up: the page cache, .pyc files
        pairs = [(wall(real, folder), wall(fake, folder)) for _ in range(runs)]
        reals, fakes = [a for a, _ in pairs], [b for _, b in pairs]
        rows.append((slug, statistics.median(reals), max(reals), statistics.median(fakes),
                     statistics.median(a / b for a, b in pairs)))
    return rows


def timed(command: list[str], cwd: Path, root: Path, expect: tuple[int, ...] = (0,)) -> tuple[float, float]:
    """Wall and CPU seconds (this run's processes: the grader, bubblewrap, the agent) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=dict(ENV, PYTHONPATH=str(root)), stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in expect:
        raise SystemExit(f"{' '.join(command)} in {root} exited {done.returncode}: {done.stderr[-2000:]}")
    return seconds, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def compare(args: argparse.Namespace, slugs: list[str]) -> None:
    """`grader test` of each reference: the older checkout, then this one, in turn."""
    commits = [subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True).stdout.strip() for root in (args.before, ROOT)]
    lines = [f"# grader test before ({commits[0]}) and after ({commits[1]}), {args.runs} runs each taken in turn, "
             f"{platform.node() or 'this machine'} ({os.cpu_count()} cores), Python {platform.python_version()}, "
             f"{time.strftime('%Y-%m-%d %H:%M')}, load average at start {os.getloadavg()[0]:.2f}",
             "process sandbox, a workspace made by `grader start` holding the reference; medians in seconds; "
             "ratio = after / before, pair by pair; cpu = the run's processes' user + system time",
             f"{'challenge':22} {'before':>7} {'after':>7} {'(max)':>7} {'ratio':>6} {'cpu before':>10} "
             f"{'cpu after':>9} {'ratio':>6}"]
    command = grader("test", "--sandbox", "process")
    with tempfile.TemporaryDirectory(prefix="candidate-loop-") as scratch:
        ENV["GRADER_HISTORY"] = str(Path(scratch) / "history.sqlite")
        for slug in slugs:
            folder = workspace(slug, Path(scratch))
            timed(command, folder, args.before), timed(command, folder, ROOT)      # warm-up
            pairs = [(timed(command, folder, args.before), timed(command, folder, ROOT)) for _ in range(args.runs)]
            walls = [(a[0], b[0]) for a, b in pairs]
            cpus = [(a[1], b[1]) for a, b in pairs]
            lines.append(f"{slug:22} {statistics.median(a for a, _ in walls):7.3f} "
                         f"{statistics.median(b for _, b in walls):7.3f} {max(b for _, b in walls):7.3f} "
                         f"{statistics.median(b / a for a, b in walls):6.2f} "
                         f"{statistics.median(a for a, _ in cpus):10.3f} {statistics.median(b for _, b in cpus):9.3f} "
                         f"{statistics.median(b / a for a, b in cpus):6.2f}")
            print(lines[-1], flush=True)
    lines.append(f"load average at the end {os.getloadavg()[0]:.2f}")
    print(lines[-1])
    if args.out:
        args.out.write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--only", nargs="*", help="challenge slugs (default: every challenge with a reference)")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--before", type=Path, help="an older grader checkout to compare `grader test` with")
    args = parser.parse_args()
    compiled_like_an_install(ROOT, *([args.before] if args.before else []))
    slugs = args.only or sorted(folder.name for folder in (ROOT / "challenges").iterdir()
                                if (ROOT / "reference" / folder.name / "solution.py").is_file())
    if args.before:
        compare(args, slugs)
        return
    lines = [f"# the candidate's loop, {args.runs} runs each, {platform.node() or 'this machine'} "
             f"({os.cpu_count()} cores), Python {platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M')}, "
             f"load average at start {os.getloadavg()[0]:.2f}",
             "wall seconds of a fresh process, median (max); goals: fast start <= 0.25, grader test <= 1.0"]
    with tempfile.TemporaryDirectory(prefix="candidate-loop-") as scratch:
        ENV["GRADER_HISTORY"] = str(Path(scratch) / "history.sqlite")
        lines.append(f"{'command':34} {'median':>7} {'max':>7}")
        for label, median, top in fast_start(args.runs, Path(scratch)):
            lines.append(f"{label:34} {median:7.3f} {top:7.3f}")
            print(lines[-1], flush=True)
        lines.append("")
        lines.append("grader test of each reference in a workspace (process sandbox) and the same command with the "
                     "in-process fake backend; ratio = sandbox / fake, pair by pair")
        lines.append(f"{'challenge':22} {'test':>7} {'(max)':>7} {'fake':>7} {'ratio':>7}")
        rows = test_times(slugs, args.runs, Path(scratch))
        for slug, median, top, fake, ratio in rows:
            lines.append(f"{slug:22} {median:7.3f} {top:7.3f} {fake:7.3f} {ratio:7.2f}")
            print(lines[-1], flush=True)
        over = [slug for slug, median, *_ in rows if median > 1.0]
        lines.append(f"median of the medians: test {statistics.median(r[1] for r in rows):.3f} s, "
                     f"ratio {statistics.median(r[4] for r in rows):.2f}; over 1.0 s: {', '.join(over) or 'none'}")
        lines.append(f"load average at the end {os.getloadavg()[0]:.2f}")
    text = "\n".join(lines) + "\n"
    print(lines[-2])
    if args.out:
        args.out.write_text(text)


if __name__ == "__main__":
    main()
