"""Mutation score of the hidden tests, from a tool nobody here wrote.

cosmic-ray (install it apart, e.g. ``python3 -m venv /tmp/cr && /tmp/cr/bin/pip
install cosmic-ray``) mutates a copy of each reference solution, one
operator at a time, and grades it as ``grader test`` does (the quick run a
candidate uses: fewer examples, no complexity). A mutant is killed when the
grade does not pass or a bonus test fails. Each survivor is then graded in full (``grader
submit``: more examples, the complexity checks and the answers on large
inputs); one that fails there is killed too. Every mutant that survives
both must be equivalent to the reference, and say why in
``benchmarks/results/mutation/<slug>.md`` under a heading naming it
(``operator line:column``), or be caught by a sharper test.

    python3 benchmarks/mutation_score.py --cosmic-ray /tmp/cr/bin/cosmic-ray
    python3 benchmarks/mutation_score.py --only lru-cache --seed 3

Writes, per challenge, ``<slug>.survivors.txt`` (each survivor's diff, and
whether the notes explain it) and ``<slug>.row``, and ``summary.txt`` from
every challenge's latest row. Exits 1 when a survivor is not explained.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "mutation"

CONFIG = """[cosmic-ray]
module-path = "solution.py"
timeout = {timeout}
excluded-modules = []
test-command = "{python} {script} --judge {folder} {slug} {seed}"

[cosmic-ray.distributor]
name = "local"
"""


def mutant_key(mutation: dict) -> str:
    """How notes name a mutant: operator, then line:column (1-based line)."""
    line, column = mutation["start_pos"]
    return f"{mutation['operator_name']} {line}:{column}"


def explained(slug: str) -> set[str]:
    notes = RESULTS / f"{slug}.md"
    if not notes.is_file():
        return set()
    return set(re.findall(r"^#+\s*`?(core/\S+ \d+:\d+)`?", notes.read_text(), flags=re.MULTILINE))


def killed_by_full_grade(slug: str, cosmic_ray: str, mutation: dict, seed: int) -> bool:
    """Apply one mutation to a fresh copy and grade it as `grader submit` does."""
    with tempfile.TemporaryDirectory(prefix=f"grader-mutant-{slug}-") as scratch:
        folder = Path(scratch) / slug
        folder.mkdir()
        shutil.copy(ROOT / "reference" / slug / "solution.py", folder / "solution.py")
        subprocess.run([cosmic_ray, "apply", "solution.py", mutation["operator_name"], str(mutation["occurrence"])],
                       cwd=folder, check=True, capture_output=True)
        result = subprocess.run([sys.executable, "-m", "grader", "submit", str(folder), "--challenge", slug,
                                 "--sandbox", "process", "--seed", str(seed), "--format", "json"],
                                capture_output=True, text=True, cwd=ROOT,
                                env=dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1"))
        try:
            return json.loads(result.stdout)["verdict"] != "pass"
        except (ValueError, KeyError):
            return True


def run_challenge(slug: str, cosmic_ray: str, seed: int, timeout: float) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"grader-mutation-{slug}-") as scratch:
        folder = Path(scratch) / slug
        folder.mkdir()
        shutil.copy(ROOT / "reference" / slug / "solution.py", folder / "solution.py")
        config = Path(scratch) / "config.toml"
        config.write_text(CONFIG.format(timeout=timeout, python=sys.executable, script=Path(__file__).resolve(),
                                        folder=folder, slug=slug, seed=seed))
        session = Path(scratch) / "session.sqlite"
        env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")
        started = time.monotonic()
        subprocess.run([cosmic_ray, "init", str(config), str(session)], cwd=folder, env=env, check=True,
                       capture_output=True)
        subprocess.run([cosmic_ray, "exec", str(config), str(session)], cwd=folder, env=env, check=True,
                       capture_output=True)
        dump = subprocess.run([cosmic_ray, "dump", str(session)], cwd=folder, env=env, check=True,
                              capture_output=True, text=True).stdout
    counts = {"killed": 0, "killed_by_submit": 0, "survived": 0, "incompetent": 0}
    survivors = []
    for line in dump.splitlines():
        item, result = json.loads(line)
        outcome = (result or {}).get("test_outcome")
        if (result or {}).get("worker_outcome") not in ("normal", None) and outcome is None:
            counts["incompetent"] += 1
            continue
        if outcome == "survived":
            mutation = item["mutations"][0]
            if killed_by_full_grade(slug, cosmic_ray, mutation, seed):
                counts["killed_by_submit"] += 1
                continue
            counts["survived"] += 1
            survivors.append((mutant_key(mutation), (result or {}).get("diff", "")))
        elif outcome == "killed":
            counts["killed"] += 1
        else:
            counts["incompetent"] += 1
    return {"slug": slug, "total": sum(counts.values()), **counts, "seconds": time.monotonic() - started,
            "survivors": survivors}


def judge(folder: str, slug: str, seed: str) -> None:
    """The test command: grade as `grader test` does (fewer examples, no
    complexity); exit 1 (killed) when the verdict is not pass or a bonus
    test fails (bonus tests never decide the verdict, but they are tests)."""
    sys.path.insert(0, str(ROOT))
    from grader.catalog import Catalog
    from grader.grading import QUICK_EXAMPLES, GradeOptions, grade
    from grader.sandbox.process import ProcessBackend
    report = grade(Path(folder), Catalog().get(slug), ProcessBackend(),
                   GradeOptions(seed=int(seed), max_examples=QUICK_EXAMPLES, complexity=False))
    sys.exit(0 if report.passed and all(t.status == "pass" for t in report.tests) else 1)


def main() -> None:
    if sys.argv[1:2] == ["--judge"]:
        judge(*sys.argv[2:5])
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cosmic-ray", default=shutil.which("cosmic-ray") or "cosmic-ray")
    parser.add_argument("--only", nargs="*", default=[])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per mutant")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    slugs = sorted(p.name for p in (ROOT / "reference").iterdir() if (p / "solution.py").is_file())
    lines = [f"# cosmic-ray over every reference, `grader test --seed {args.seed}` as the test command, "
             f"{platform.node()} ({os.cpu_count()} cores), Python {platform.python_version()}, "
             f"{time.strftime('%Y-%m-%d %H:%M')}",
             "killed: by `grader test`; +submit: survived it but failed `grader submit` (complexity, large "
             "inputs, more examples); equivalent: explained in <slug>.md",
             f"{'challenge':18} {'mutants':>7} {'killed':>6} {'+submit':>7} {'equivalent':>10} {'unexplained':>11} "
             f"{'incompetent':>11} {'seconds':>8}"]
    unexplained_total = 0
    for slug in slugs:
        if args.only and slug not in args.only:
            continue
        result = run_challenge(slug, args.cosmic_ray, args.seed, args.timeout)
        notes = explained(slug)
        report = []
        unexplained = 0
        for key, diff in result["survivors"]:
            known = key in notes
            unexplained += not known
            report.append(f"## {key}  ({'equivalent: see ' + slug + '.md' if known else 'NOT EXPLAINED'})\n{diff}")
        unexplained_total += unexplained
        (RESULTS / f"{slug}.survivors.txt").write_text("\n".join(report) + ("\n" if report else "none\n"))
        lines.append(f"{slug:18} {result['total']:7} {result['killed']:6} {result['killed_by_submit']:7} "
                     f"{result['survived'] - unexplained:10} "
                     f"{unexplained:11} {result['incompetent']:11} {result['seconds']:8.0f}")
        print(lines[-1], flush=True)
        (RESULTS / f"{slug}.row").write_text(lines[-1] + "\n")
    print(f"# {unexplained_total} survivor(s) not explained")
    # The summary holds every challenge's latest row, so one challenge can be run again alone.
    rows = [(RESULTS / f"{slug}.row").read_text().rstrip("\n") for slug in slugs if (RESULTS / f"{slug}.row").is_file()]
    (RESULTS / "summary.txt").write_text("\n".join(lines[:3] + rows) + "\n")
    sys.exit(1 if unexplained_total else 0)


if __name__ == "__main__":
    main()
