"""Median wall time of `grader submit` for correct submissions (process sandbox).

Each run is a fresh `python -m grader submit ... --format json` process, so
interpreter start and imports are included, as a user would see them.

    python3 benchmarks/submit_time.py                 # the sample lru-cache submission
    python3 benchmarks/submit_time.py --all           # every challenge's reference
    python3 benchmarks/submit_time.py --runs 5 --out benchmarks/results/submit_time.txt
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


def subjects(all_challenges: bool) -> list[tuple[str, Path]]:
    if not all_challenges:
        return [("lru-cache (examples/)", ROOT / "examples" / "lru-cache")]
    found = []
    for folder in sorted((ROOT / "challenges").iterdir()):
        reference = ROOT / "reference" / folder.name
        if (folder / "challenge.toml").is_file() and (reference / "solution.py").is_file():
            found.append((folder.name, reference))
    return found


def time_submit(slug: str, path: Path) -> tuple[float, float, str]:
    challenge = slug.split()[0]
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "grader", "submit", str(path), "--challenge", challenge,
                             "--format", "json", "--sandbox", "process"],
                            capture_output=True, text=True, env=dict(os.environ, NO_COLOR="1"))
    wall = time.perf_counter() - started
    report = json.loads(result.stdout)
    return wall, report["duration_seconds"], report["verdict"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--all", action="store_true", help="every challenge's reference solution")
    parser.add_argument("--out", type=Path, help="also write the table to this file")
    args = parser.parse_args()
    lines = [f"# grader submit wall time, {args.runs} runs each, {platform.node()} "
             f"({os.cpu_count()} cores), Python {platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M')}",
             f"{'subject':28} {'median s':>9} {'min s':>7} {'max s':>7} {'grading s':>10}  verdicts"]
    for slug, path in subjects(args.all):
        walls, gradings, verdicts = [], [], set()
        for _ in range(args.runs):
            wall, grading, verdict = time_submit(slug, path)
            walls.append(wall)
            gradings.append(grading)
            verdicts.add(verdict)
        lines.append(f"{slug:28} {statistics.median(walls):9.2f} {min(walls):7.2f} {max(walls):7.2f} "
                     f"{statistics.median(gradings):10.2f}  {','.join(sorted(verdicts))}")
        print(lines[-1], flush=True)
    if args.out:
        args.out.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
