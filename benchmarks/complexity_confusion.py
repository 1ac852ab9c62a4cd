"""Proof for the complexity verdicts: every reference and every correct-but-slow
mutant (header ``# expect: slower``) of every challenge, measured RUNS times
with the machine idle, RUNS times while a background process burns a full
core, and RUNS times while two do (on a 2-core machine: no core left idle),
tallied as a confusion table. Target: every reference `meets`, every
slow mutant `slower`, in every run, and no `inconclusive`.

Only the complexity checks run here (the hidden tests are not the subject).

    python3 benchmarks/complexity_confusion.py --runs 10 --out benchmarks/results/complexity_confusion.txt
    python3 benchmarks/complexity_confusion.py --conditions idle loaded --only flatten --runs 3
"""

from __future__ import annotations

import argparse
import collections
import multiprocessing
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader.catalog import Catalog  # noqa: E402
from grader.complexity.check import check_complexity  # noqa: E402
from grader.harness.session import SandboxSession, TimeLimits  # noqa: E402
from grader.sandbox.base import SandboxLimits  # noqa: E402
from grader.sandbox.process import ProcessBackend  # noqa: E402
from grader.submission import load  # noqa: E402
from grader.validation import expects_slower  # noqa: E402


BURNERS = {"idle": 0, "loaded": 1, "two-burners": 2}   # condition -> processes burning a core


def burn() -> None:
    while True:
        pass


def subjects(catalog: Catalog, only: list[str]) -> list[tuple[str, str, Path, str]]:
    found = []
    for challenge in catalog.all():
        if only and challenge.slug not in only:
            continue
        reference = challenge.reference_solution()
        if reference is None or not (challenge.folder / "benchmark.py").is_file():
            continue
        found.append((challenge.slug, "reference", reference, "meets"))
        for mutant in challenge.mutants():
            if expects_slower(mutant):
                found.append((challenge.slug, mutant.stem, mutant, "slower"))
    return found


def measure(catalog: Catalog, slug: str, path: Path, seed: int) -> tuple[str, float, list]:
    challenge = catalog.get(slug)
    backend = ProcessBackend()
    session = SandboxSession(backend, load(path).files,
                             SandboxLimits(challenge.limits.memory_mb, challenge.limits.cpu_seconds),
                             TimeLimits(challenge.limits.call_timeout, challenge.limits.total_timeout),
                             list(challenge.entry_points))
    started = time.monotonic()
    try:
        outcome = check_complexity(challenge, session, backend, seed)
    finally:
        session.close()
    elapsed = time.monotonic() - started
    results = outcome.results
    verdicts = [r.verdict for r in results]
    # Every subject here answers rightly: a wrong answer at benchmark size is a miss.
    if outcome.wrong_answers:
        print("  wrong answer:", outcome.large_inputs_message, flush=True)
        return "wrong answer", elapsed, results
    overall = "slower" if "slower" in verdicts else ("inconclusive" if "inconclusive" in verdicts else "meets")
    return overall, elapsed, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--only", nargs="*", default=[], help="challenge slugs")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--conditions", nargs="*", default=list(BURNERS), choices=list(BURNERS))
    args = parser.parse_args()
    catalog = Catalog()
    table = collections.Counter()
    lines = [f"# complexity verdicts, {args.runs} runs per condition, {platform.node()} ({os.cpu_count()} cores), "
             f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M')}"]
    worst_time = collections.defaultdict(float)
    misses = []
    for condition in args.conditions:
        burners = [multiprocessing.Process(target=burn, daemon=True) for _ in range(BURNERS[condition])]
        for burner in burners:
            burner.start()
        try:
            for slug, name, path, expected in subjects(catalog, args.only):
                counts = collections.Counter()
                for run in range(args.runs):
                    overall, elapsed, results = measure(catalog, slug, path, seed=run)
                    counts[overall] += 1
                    table[(condition, expected, overall)] += 1
                    worst_time[slug] = max(worst_time[slug], elapsed) if name == "reference" else worst_time[slug]
                    if overall != expected:
                        misses.append(f"{condition} {slug}/{name} run {run}: {overall}: " + "; ".join(
                            f"{r.operation} {r.verdict} slope={r.details.get('relative_slope')} "
                            f"ratios={[round(x, 2) if x else x for x in r.details.get('ratios', [])]}"
                            for r in results))
                line = f"{condition:11} {slug + '/' + name:48} expected {expected:7} got " + ", ".join(
                    f"{k} x{v}" for k, v in sorted(counts.items()))
                print(line, flush=True)
                lines.append(line)
        finally:
            for burner in burners:
                burner.terminate()
    lines.append("")
    lines.append("confusion (rows: expected, columns: verdict), per condition")
    lines.append(f"{'':24} {'meets':>7} {'slower':>7} {'inconclusive':>13} {'wrong answer':>13}")
    for condition in args.conditions:
        for expected in ("meets", "slower"):
            row = [table[(condition, expected, v)] for v in ("meets", "slower", "inconclusive", "wrong answer")]
            lines.append(f"{condition + ' ' + expected:24} {row[0]:7} {row[1]:7} {row[2]:13} {row[3]:13}")
    lines.append("")
    lines.append("slowest complexity check of a reference, per challenge (seconds, both solutions):")
    for slug, seconds in sorted(worst_time.items()):
        lines.append(f"  {slug:20} {seconds:.2f}")
    if misses:
        lines.append("")
        lines.append("misses:")
        lines.extend("  " + m for m in misses)
    print("\n".join(lines[-(12 + len(worst_time) + len(misses)):]))
    if args.out:
        args.out.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
