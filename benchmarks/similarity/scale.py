"""How long does the similarity report take for a big batch of one challenge? (issue 15)

    python benchmarks/similarity/scale.py [--challenge lru-cache] [--mix distinct|copies]
                                          [--sizes 250 500 1000 2000] [--runs 5]
                                          [--cli-sizes 250 500 1000 2000] [--cli-runs 5]
                                          [--output FILE]

A batch of N submissions is built from the challenge's independent
solutions (corpus.py) and disguise.py, each with its own seed (see batch()):
"distinct" stands in for a real batch, where most candidates wrote their own
and a few copied; "copies" is the heaviest case, every submission a copy.

In-process, each of --runs runs times fingerprint_files over the batch
(stub taken away) and compare() over the result, and the median is
reported with the growth exponent between sizes (log(t2/t1) / log(n2/n1):
1 is linear, 2 quadratic). For each of --cli-sizes, the batch is written as
folders and the whole command `grader similarity DIR --challenge SLUG
--format json --output FILE` is timed --cli-runs times (median, and its
growth), start-up, discovery, reading and writing included; --timer CMD
times the largest with another tool as well (its output is recorded as it
prints it). The load average before and after is recorded:
figures from a busy machine say so.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import corpus

sys.path.insert(0, str(corpus.ROOT))

import disguise  # noqa: E402
from grader.fileio import write_atomic  # noqa: E402
from grader.similarity import compare, fingerprint_files  # noqa: E402

RESULTS = corpus.ROOT / "benchmarks" / "results" / "similarity_scale.txt"


_OPERATORS = ("+", "-", "*", "//", "%", "<<", ">>", "&", "|", "^")


def _expression(rng: random.Random, depth: int = 0) -> str:
    if depth > 2 or rng.random() < 0.3:
        return str(rng.randrange(1, 100))
    shape = rng.randrange(4)
    left, right = _expression(rng, depth + 1), _expression(rng, depth + 1)
    if shape == 0:
        return f"({left} {rng.choice(_OPERATORS)} {right})"
    if shape == 1:
        return f"-{left}"
    if shape == 2:
        return f"[{left}, {right}][{rng.randrange(2)}]"
    return f"{left} {rng.choice(_OPERATORS)} {right}"


def vary(text: str, rng: random.Random, chance: float = 0.6) -> str:
    """Statements of random shape (each calls abs) before most statements of each function body.

    It stands in for a different author: after normalisation a copy shares
    only the runs of original statements left between two insertions, so
    submissions share a few fingerprints each, as independent ones do."""
    import ast
    lines = text.splitlines(keepends=True)
    tree = ast.parse(text)
    docs = {id(doc) for _, doc in disguise._docstring_nodes(tree)}
    spots = set()
    for _, _, body in disguise._function_bodies(tree):
        for statement in body:
            line = lines[statement.lineno - 1]
            if (id(statement) in docs or getattr(statement, "decorator_list", None)
                    or statement.col_offset != len(disguise._leading(line).encode())
                    or line.lstrip().startswith("elif")):
                continue
            spots.add((statement.lineno, disguise._leading(line)))
    for lineno, indent in sorted(spots, reverse=True):
        if rng.random() < chance:
            name = f"_v{rng.randrange(10**6)}"
            # abs(): a call, so the tokens keep the statement (an assignment nothing reads is dead code to them)
            extra = (f"{indent}{name} = abs({_expression(rng)})\n" if rng.random() < 0.7 else
                     f"{indent}if {_expression(rng)} > {_expression(rng)}:\n{indent}    {name} = abs({_expression(rng)})\n")
            lines.insert(lineno - 1, extra)
    return "".join(lines)


def batch(slug: str, size: int, mix: str) -> list:
    """``size`` texts.

    "distinct": each a random original, varied by vary() with its own seed and
    then disguised, plus one in ten a disguised copy of an earlier one (pairs
    and small clusters, as a real batch has). "copies": each a disguised copy
    of one of the originals (the heaviest case: every fingerprint is held by
    about N/6 submissions: all of them crowded)."""
    originals = corpus.originals(slug)
    keep = disguise.keep_names(corpus.stub(slug))
    rng = random.Random(f"scale/{slug}/{mix}")
    texts = []
    for number in range(size):
        kind = rng.choice(("none",) + disguise.KINDS)
        if mix == "copies":
            source = originals[number % len(originals)].text
        elif texts and rng.random() < 0.1:
            source = rng.choice(texts)
        else:
            source = vary(rng.choice(originals).text, random.Random(f"vary/{number}"))
        texts.append(source if kind == "none" else disguise.disguise(source, kind, seed=f"scale/{number}", keep=keep))
    return texts


def one_run(stub: str, texts: list) -> tuple:
    """(fingerprint seconds, compare seconds, pairs reported)."""
    started = time.perf_counter()
    base = fingerprint_files({"solution.py": stub})
    prints = {f"s{number:05d}": fingerprint_files({"solution.py": text}, base=base)
              for number, text in enumerate(texts)}
    middle = time.perf_counter()
    result = compare(prints)
    ended = time.perf_counter()
    return middle - started, ended - middle, len(result.pairs)


def size_of(texts) -> float:
    return statistics.mean(sum(fingerprint_files({"solution.py": text}).tokens.values()) for text in texts)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def exponent(sizes, times) -> list:
    return [math.log(t2 / t1) / math.log(n2 / n1) for (n1, t1), (n2, t2) in zip(zip(sizes, times),
                                                                              zip(sizes[1:], times[1:]))]


def _written(texts: list, folder: str) -> list:
    """The batch as candidate folders under ``folder``, and the command that compares them."""
    for number, text in enumerate(texts):
        target = Path(folder) / f"candidate{number:05d}"
        target.mkdir()
        (target / "solution.py").write_text(text, encoding="utf-8")
    python = str(corpus.ROOT / ".venv" / "bin" / "python")
    return [python, "-m", "grader", "similarity", folder, "--challenge", "SLUG", "--format", "json",
            "--output", os.path.join(folder, "..", os.path.basename(folder) + ".json")]


def cli_timing(slug: str, texts: list, runs: int) -> list:
    """Wall seconds of each of ``runs`` runs of the whole command over ``texts``."""
    with tempfile.TemporaryDirectory(prefix="similarity-scale-") as folder:
        command = [slug if item == "SLUG" else item for item in _written(texts, folder)]
        walls = []
        for _ in range(runs):
            started = time.perf_counter()
            run = subprocess.run(command, capture_output=True, text=True, cwd=corpus.ROOT)
            walls.append(time.perf_counter() - started)
            if run.returncode != 0:
                raise RuntimeError(f"grader similarity exited {run.returncode}: {run.stderr[-2000:]}")
        Path(command[-1]).unlink(missing_ok=True)
        return walls


def timed_by(slug: str, texts: list, timer: str) -> list:
    """The timing command's figure rows for the whole command over ``texts``."""
    with tempfile.TemporaryDirectory(prefix="similarity-scale-") as folder:
        command = [slug if item == "SLUG" else item for item in _written(texts, folder)]
        run = subprocess.run(shlex.split(timer) + ["--"] + command, capture_output=True, text=True, cwd=corpus.ROOT)
        Path(command[-1]).unlink(missing_ok=True)
    rows = [line for line in (run.stdout + run.stderr).splitlines()
            if re.match(r"\s*(min\s+median|A (user|sys|cpu|wall|peak) )", line)]   # the figure rows only
    return ["whole process (min / median / max):"] + rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--challenge", default="lru-cache")
    parser.add_argument("--mix", choices=("distinct", "copies"), default="distinct")
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 500, 1000, 2000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cli-sizes", type=int, nargs="*", default=[250, 500, 1000, 2000],
                        help="batch sizes for the whole-command timing (none: skip it)")
    parser.add_argument("--cli-runs", type=int, default=5)
    parser.add_argument("--timer", default=None, help="a command that times COMMAND given after `--`")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    slug = args.challenge
    stub = corpus.stub(slug)
    texts = batch(slug, max(args.sizes + args.cli_sizes), args.mix)
    lines = [f"Similarity report time (issue 15): {slug}, batches built by benchmarks/similarity/scale.py "
             f"--mix {args.mix}", "(" + " ".join(batch.__doc__.split("\n\n")[1].split()) + ")",
             f"mean size of a submission: {size_of(texts[:200]):.0f} tokens (the challenge's originals: "
             f"{size_of([item.text for item in corpus.originals(slug)]):.0f})",
             f"cpus: {os.cpu_count()}; before: {load()}; grader at {corpus.revision()}", "",
             "in-process, medians of %d runs (seconds)" % args.runs, ""]
    rows, totals = [], []
    for size in args.sizes:
        runs = [one_run(stub, texts[:size]) for _ in range(args.runs)]
        fingerprint = statistics.median(run[0] for run in runs)
        comparing = statistics.median(run[1] for run in runs)
        total = statistics.median(run[0] + run[1] for run in runs)
        totals.append(total)
        rows.append((size, fingerprint, comparing, total, runs[0][2]))
    growth = exponent(args.sizes, totals)
    lines.append(f"{'N':>6}  {'fingerprint':>11}  {'compare':>8}  {'total':>7}  {'pairs':>7}  growth")
    for index, (size, fingerprint, comparing, total, pairs) in enumerate(rows):
        note = f"{growth[index - 1]:.2f}" if index else ""
        lines.append(f"{size:>6}  {fingerprint:>11.2f}  {comparing:>8.2f}  {total:>7.2f}  {pairs:>7}  {note}")
    lines.append("")
    if args.cli_sizes:
        lines.append(f"whole command: grader similarity DIR --challenge {slug} --format json --output FILE, "
                     f"wall seconds, {args.cli_runs} runs each")
        lines.append("")
        lines.append(f"{'N':>6}  {'median':>7}  {'min':>7}  {'max':>7}  growth")
        medians = []
        for size in args.cli_sizes:
            walls = cli_timing(slug, texts[:size], args.cli_runs)
            medians.append(statistics.median(walls))
            note = f"{exponent(args.cli_sizes, medians)[-1]:.2f}" if len(medians) > 1 else ""
            lines.append(f"{size:>6}  {medians[-1]:>7.2f}  {min(walls):>7.2f}  {max(walls):>7.2f}  {note}")
        if args.timer:
            lines.append("")
            lines.append(f"the largest, {args.cli_sizes[-1]} submissions, timed by the timing command:")
            lines += timed_by(slug, texts[:args.cli_sizes[-1]], args.timer)
        lines.append("")
    lines.append(f"after: {load()}")
    text = "\n".join(lines) + "\n"
    write_atomic(args.output, text)
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
