"""Median wall time of `grader submit` for correct submissions (process sandbox).

Each run is a fresh `python -m grader submit ... --format json` process, so
interpreter start and imports are included, as a user would see them. Each
subject is timed twice per run: with `--no-complexity` (the hidden tests
only) and in full (hidden tests, then the complexity checks); the report's
own stage timings split the latter.

    python3 benchmarks/submit_time.py                 # the sample lru-cache submission
    python3 benchmarks/submit_time.py --all           # every challenge's reference
    python3 benchmarks/submit_time.py --runs 5 --out benchmarks/results/submit_time.txt
    python3 benchmarks/submit_time.py --all --runs 5 --before /tmp/old-grader   # vs an older checkout
    python3 benchmarks/submit_time.py --only hash-map linked-list-cycle --runs 5

With ``--before CHECKOUT`` each run times the full submit of the older
checkout (``git worktree add /tmp/old-grader <commit>``) and of this one in
turn, so the before/after ratio comes from one run on the same machine state.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from candidate_loop import compiled_like_an_install  # noqa: E402  (as an install does)
# Bytecode cached as in an installed grader: PYTHONDONTWRITEBYTECODE (set in some shells and images) would
# make every run compile the grader's modules again.
ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def subjects(all_challenges: bool, only: list[str] | None = None) -> list[tuple[str, Path]]:
    if not all_challenges and not only:
        return [("lru-cache (examples/)", ROOT / "examples" / "lru-cache")]
    found = []
    for folder in sorted((ROOT / "challenges").iterdir()):
        reference = ROOT / "reference" / folder.name
        if (folder / "challenge.toml").is_file() and (reference / "solution.py").is_file() \
                and (not only or folder.name in only):
            found.append((folder.name, reference))
    return found


def time_submit(slug: str, path: Path, *extra: str, root: Path = ROOT) -> tuple[float, dict, str]:
    challenge = slug.split()[0]
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "grader", "submit", str(path), "--challenge", challenge,
                             "--format", "json", "--sandbox", "process", *extra],
                            capture_output=True, text=True, cwd=root,
                            env=dict(ENV, NO_COLOR="1", PYTHONPATH=str(root)))
    wall = time.perf_counter() - started
    report = json.loads(result.stdout)
    return wall, report["stage_seconds"], report["verdict"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--all", action="store_true", help="every challenge's reference solution")
    parser.add_argument("--out", type=Path, help="also write the table to this file")
    parser.add_argument("--before", type=Path, help="an older grader checkout to compare the full submit with")
    parser.add_argument("--only", nargs="+", metavar="SLUG", help="these challenges' references only")
    args = parser.parse_args()
    compiled_like_an_install(ROOT, *([args.before] if args.before else []))
    if args.before:
        compare(args)
        return
    lines = [f"# grader submit wall time, {args.runs} runs each, {platform.node()} "
             f"({os.cpu_count()} cores), Python {platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M')}",
             "medians in seconds; 'tests only' is `grader submit --no-complexity`, 'full' adds the complexity "
             "checks; the stage columns come from the full run's report",
             f"{'subject':24} {'tests only':>10} {'(max)':>6} {'full':>6} {'(max)':>6} {'tests stage':>11} "
             f"{'complexity stage':>16}  verdicts"]
    for slug, path in subjects(args.all, args.only):
        quick, full, tests, complexity, verdicts = [], [], [], [], set()
        for _ in range(args.runs):
            wall, _, verdict = time_submit(slug, path, "--no-complexity")
            quick.append(wall)
            verdicts.add(verdict)
            wall, stages, verdict = time_submit(slug, path)
            full.append(wall)
            tests.append(stages["correctness"])
            complexity.append(stages["complexity"])
            verdicts.add(verdict)
        lines.append(f"{slug:24} {statistics.median(quick):10.2f} {max(quick):6.2f} {statistics.median(full):6.2f} "
                     f"{max(full):6.2f} {statistics.median(tests):11.2f} {statistics.median(complexity):16.2f}  "
                     f"{','.join(sorted(verdicts))}")
        print(lines[-1], flush=True)
    if args.out:
        args.out.write_text("\n".join(lines) + "\n")


def compare(args: argparse.Namespace) -> None:
    """Full submit, older checkout and this one in turn: medians and their ratio."""
    before_commit = subprocess.run(["git", "-C", str(args.before), "rev-parse", "--short", "HEAD"],
                                   capture_output=True, text=True).stdout.strip()
    after_commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                                  capture_output=True, text=True).stdout.strip()
    lines = [f"# grader submit (full, complexity included) before ({before_commit}) and after ({after_commit}), "
             f"{args.runs} runs each taken in turn, {platform.node()} ({os.cpu_count()} cores), "
             f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M')}",
             "medians in seconds, process sandbox; every reference is graded by both checkouts",
             f"{'subject':24} {'before':>7} {'after':>7} {'(max)':>6} {'after/before':>12}  verdicts (after)"]
    for slug, path in subjects(args.all, args.only):
        before, after, verdicts = [], [], set()
        # The older checkout grades its own copy of a reference: a folder that is not its
        # challenge's reference folder is graded with everything below it (mutants/ too).
        theirs = args.before / path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        for _ in range(args.runs):
            before.append(time_submit(slug, theirs, root=args.before)[0])
            wall, _, verdict = time_submit(slug, path)
            after.append(wall)
            verdicts.add(verdict)
        ratio = statistics.median(after) / statistics.median(before)
        lines.append(f"{slug:24} {statistics.median(before):7.2f} {statistics.median(after):7.2f} "
                     f"{max(after):6.2f} {ratio:12.2f}  {','.join(sorted(verdicts))}")
        print(lines[-1], flush=True)
    if args.out:
        args.out.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
