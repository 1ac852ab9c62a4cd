"""A hundred mixed submissions through `grader grade`: throughput, and an
interrupted run that resumes.

The batch: every built-in challenge's reference, mutants (wrong and slow)
and stub, plus a syntax error and a missing solution.py, dealt round-robin
into candidates' folders until there are N, each with its own comment line
so that no two are the same content (identical code would be graded once).

1. Sequential: `grader grade --jobs 1`. Each submission's own grading time
   (the worker's start-to-finish, from the database's `gradings` log) is its
   single-submission time.
2. Parallel: `grader grade --jobs J` on a fresh database; its wall time
   (the whole command, interpreter start and worker spawn included) is
   compared with the ideal, sum(single times) / J. Target: at most 1.3x.
3. Interrupted: `--jobs J` on a fresh database, SIGKILLed once half the
   results are stored, then the same command again. Checks: every
   submission has exactly one result, nothing was graded twice (one
   `gradings` row per submission), and the JUnit, Gradescope and GitHub
   outputs validate (JUnit against tests/fixtures/junit.xsd).

    python3 benchmarks/batch.py --out benchmarks/results/batch.txt
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def build_batch(folder: Path, count: int) -> dict[str, int]:
    """Write ``count`` submissions under ``folder``; return how many of each kind.

    Each turn gives every challenge its next source in the order reference,
    a mutant, the stub, another mutant, ...; a syntax error and a missing
    solution.py come early, so every kind is in any batch of 20 or more."""
    per_slug: dict[str, list] = {}
    for challenge in sorted((ROOT / "challenges").iterdir()):
        slug = challenge.name
        reference = ROOT / "reference" / slug
        if not (reference / "solution.py").is_file():
            continue
        mutants = [("mutant", m.read_text()) for m in sorted((reference / "mutants").glob("*.py"))]
        ordered = [("reference", (reference / "solution.py").read_text()), mutants[0],
                   ("stub", (challenge / "stub" / "solution.py").read_text()), *mutants[1:]]
        per_slug[slug] = ordered
    order = [("pair-sum", "syntax error", "def pair_sum(nums, target):\n    return (\n"),
             ("trie", "no solution.py", None)]
    turn = 0
    while len(order) < count:
        for slug in sorted(per_slug):
            kind, text = per_slug[slug][turn % len(per_slug[slug])]
            order.append((slug, kind, text))
            if len(order) == count:
                break
        turn += 1
    kinds: dict[str, int] = {}
    for number, (slug, kind, text) in enumerate(order):
        target = folder / f"candidate-{number:03d}" / slug
        target.mkdir(parents=True)
        if text is not None:
            (target / "solution.py").write_text(text + f"\n# candidate {number}\n")
        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


def grade(batch: Path, db: Path, jobs: int, *extra: str, popen: bool = False):
    command = [sys.executable, "-m", "grader", "grade", str(batch), "--jobs", str(jobs), "--db", str(db),
               "--sandbox", "process", *extra]
    env = dict(os.environ, NO_COLOR="1", PYTHONPATH=str(ROOT))
    if popen:
        return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return subprocess.run(command, env=env, capture_output=True, text=True)


def query(db: Path, sql: str) -> list:
    connection = sqlite3.connect(db)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def stored(db: Path) -> int:
    try:
        return query(db, "SELECT count(*) FROM results")[0][0] if db.exists() else 0
    except sqlite3.Error:
        return 0


def validate_outputs(out: Path, expected: int, annotations: str) -> list[str]:
    """Problems with the JUnit, Gradescope and GitHub outputs (empty: all valid)."""
    import json
    import re

    import xmlschema
    problems = []
    schema = xmlschema.XMLSchema(str(ROOT / "tests" / "fixtures" / "junit.xsd"))
    errors = list(schema.iter_errors(str(out / "junit.xml")))
    if errors:
        problems.append(f"junit.xml: {errors[0]}")
    suites = len(re.findall(r"<testsuite ", (out / "junit.xml").read_text()))
    if suites != expected:
        problems.append(f"junit.xml has {suites} testsuites, expected {expected}")
    from tests.test_formats import gradescope_problems
    problems += [f"results.json: {p}" for p in gradescope_problems(json.loads((out / "results.json").read_text()))]
    command = re.compile(r"^::error file=[^,:]+,line=\d+,title=[^:,]+::\S.*$")
    bad = [line for line in annotations.splitlines() if not command.match(line)]
    if bad:
        problems.append(f"{len(bad)} GitHub annotation line(s) malformed, e.g. {bad[0][:120]}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", type=Path, help="also write the results to this file")
    parser.add_argument("--part", choices=("all", "throughput", "interrupted"), default="all")
    args = parser.parse_args()
    lines = [f"# grader grade: {args.count} mixed submissions, --jobs {args.jobs}, process sandbox, "
             f"{platform.node()} ({os.cpu_count()} cores), Python {platform.python_version()}, "
             f"{time.strftime('%Y-%m-%d %H:%M')}"]
    ok = True
    with tempfile.TemporaryDirectory(prefix="grader-batch-bench-") as scratch:
        scratch = Path(scratch)
        batch = scratch / "batch"
        kinds = build_batch(batch, args.count)
        lines.append("batch: " + ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items())))

        if args.part != "interrupted":
            ok &= throughput(batch, scratch, args, lines)
        if args.part != "throughput":
            ok &= interrupted(batch, scratch, args, lines)
    lines.append("RESULT: " + ("ok" if ok else "FAILED"))
    text = "\n".join(lines) + "\n"
    print(text, end="")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text)
    sys.exit(0 if ok else 1)


def throughput(batch: Path, scratch: Path, args, lines: list) -> bool:
    # 1. sequential, for each submission's own time
    started = time.perf_counter()
    sequential = grade(batch, scratch / "sequential.db", 1)
    sequential_wall = time.perf_counter() - started
    singles = [finished - begun for begun, finished in
               query(scratch / "sequential.db", "SELECT started_at, finished_at FROM gradings")]
    verdicts = dict(query(scratch / "sequential.db", "SELECT verdict, count(*) FROM results GROUP BY verdict"))
    lines.append(f"verdicts: {verdicts}; sequential run exit {sequential.returncode}, "
                 f"wall {sequential_wall:.1f} s")
    lines.append(f"single-submission grading time: sum {sum(singles):.1f} s over {len(singles)}, "
                 f"mean {sum(singles) / max(1, len(singles)):.2f} s, max {max(singles):.2f} s")

    # 2. parallel
    started = time.perf_counter()
    parallel = grade(batch, scratch / "parallel.db", args.jobs)
    wall = time.perf_counter() - started
    ideal = sum(singles) / args.jobs
    ratio = wall / ideal
    in_parallel = [finished - begun for begun, finished in
                   query(scratch / "parallel.db", "SELECT started_at, finished_at FROM gradings")]
    lines.append(f"--jobs {args.jobs}: wall {wall:.1f} s (exit {parallel.returncode}); ideal "
                 f"{ideal:.1f} s = sum / {args.jobs}; ratio {ratio:.2f} (target <= 1.30)")
    lines.append(f"  the same submissions' grading times while {args.jobs} ran at once: sum {sum(in_parallel):.1f} s "
                 f"({sum(in_parallel) / sum(singles):.2f}x the sequential sum; above 1 is contention for the cores)")
    return ratio <= 1.3 and len(singles) == args.count


def interrupted(batch: Path, scratch: Path, args, lines: list) -> bool:

    # 3. interrupted with SIGKILL halfway, then resumed
    db = scratch / "interrupted.db"
    process = grade(batch, db, args.jobs, popen=True)
    while stored(db) < args.count // 2 and process.poll() is None:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    before = stored(db)
    time.sleep(2)   # the orphaned workers notice their parent is gone and stop
    started = time.perf_counter()
    out = scratch / "out"
    resumed = grade(batch, db, args.jobs, "--format", "junit", "--format", "gradescope", "--format", "github",
                    "--format", "jsonl", "--output-dir", str(out))
    resume_wall = time.perf_counter() - started
    results = query(db, "SELECT count(*) FROM results")[0][0]
    per_submission = query(db, "SELECT submission_sha256, count(*) FROM gradings GROUP BY submission_sha256")
    twice = [sha for sha, n in per_submission if n != 1]
    lines_out = len((out / "results.jsonl").read_text().splitlines())
    problems = validate_outputs(out, args.count, resumed.stdout)
    lines.append(f"interrupted: SIGKILL after {before} results stored; resumed in {resume_wall:.1f} s "
                 f"(exit {resumed.returncode}); results {results}/{args.count}, jsonl lines {lines_out}, "
                 f"gradings {sum(n for _, n in per_submission)}, graded twice {len(twice)}")
    lines.append("outputs: " + ("JUnit (XSD), Gradescope and GitHub annotations valid" if not problems
                                else "; ".join(problems)))
    return (results == args.count and lines_out == args.count and not twice and not problems
            and resumed.returncode in (0, 1))


if __name__ == "__main__":
    main()
