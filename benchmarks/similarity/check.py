"""Do the evaluation set's solutions still pass? `grader test` on each (issue 15).

    python benchmarks/similarity/check.py [--originals] [--disguised all|sample] [--jobs 2]

A disguised copy that fails its hidden tests is not a copy of a solution, so
the benchmark would be measuring something else. By default every original
and a sample of the copies (each original's "all" copy and one single
disguise drawn per original) are checked; --disguised all checks every copy.
Prints one line per failure and a summary; exit 1 when anything failed.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import random
import subprocess
import sys
import tempfile
from pathlib import Path

import corpus

sys.path.insert(0, str(corpus.ROOT))

from grader.fileio import write_atomic  # noqa: E402


def grader_test(slug: str, text: str, python: str) -> tuple:
    with tempfile.TemporaryDirectory(prefix="similarity-check-") as folder:
        (Path(folder) / "solution.py").write_text(text, encoding="utf-8")
        run = subprocess.run([python, "-m", "grader", "test", "--challenge", slug, folder],
                             capture_output=True, text=True, cwd=corpus.ROOT, timeout=300)
    return run.returncode, (run.stdout + run.stderr).strip().splitlines()[:1]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--disguised", choices=("all", "sample", "none"), default="sample")
    parser.add_argument("--no-originals", action="store_true")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--python", default=str(corpus.ROOT / ".venv" / "bin" / "python"))
    parser.add_argument("--challenge", action="append", help="only this challenge (repeatable)")
    parser.add_argument("--output", type=Path, default=None, help="also write the summary to this file")
    args = parser.parse_args(argv)
    rng = random.Random("check")
    todo = []
    for slug in args.challenge or corpus.challenges():
        if not args.no_originals:
            todo += corpus.originals(slug)
        if args.disguised == "none":
            continue
        copies = corpus.disguised(slug)
        if args.disguised == "sample":
            chosen = []
            for author in sorted({copy.author for copy in copies}):
                mine = [copy for copy in copies if copy.author == author]
                chosen += [copy for copy in mine if copy.kind == "all"]
                singles = [copy for copy in mine if copy.kind != "all"]
                if singles:
                    chosen.append(rng.choice(singles))
            copies = chosen
        todo += copies
    failures = 0
    kinds = sorted({item.kind or "original" for item in todo})
    lines = [f"grader test on the similarity evaluation set (benchmarks/similarity/check.py --disguised "
             f"{args.disguised}): {len(todo)} solutions ({', '.join(kinds)})"]
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        results = pool.map(lambda item: (item, grader_test(item.challenge, item.text, args.python)), todo)
        for item, (code, first) in results:
            if code != 0:
                failures += 1
                lines.append(f"FAIL {item.challenge} {item.name}: exit {code}: {' '.join(first)}")
                print(lines[-1], flush=True)
    summary = f"{len(todo) - failures} of {len(todo)} pass grader test ({failures} failed)"
    print(summary)
    if args.output:
        write_atomic(args.output, "\n".join(lines + [summary]) + "\n")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
