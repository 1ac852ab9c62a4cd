"""How well does `grader similarity` tell copies from independent work? (issue 15)

    python benchmarks/similarity/evaluate.py [--k K --window W] [--sweep] [--no-copydetect]
                                             [--copydetect-python PATH] [--output FILE]

The labelled set is corpus.py's: for every challenge, the independently
written solutions (five authors and the reference) and a disguised copy of
each per disguise (disguise.py). Positives are (original, its disguised
copy) pairs; negatives are pairs of two independent solutions of the same
challenge. Both tools score the very same pairs, the stub taken away as
boilerplate:

  grader      fingerprint_files(..., base=stub) and compare() on the two alone
              (score = shared fingerprints over the smaller side's)
  copydetect  its CodeFingerprint and compare_files with its defaults (noise 25,
              guarantee 25), the larger of its two similarities

and grader once more the way a batch is run ("in batch"): every original and
copy of a challenge in one compare() call, the reference as a known
solution, so that fingerprints most submissions share count as boilerplate.

Reported per challenge and overall: how many positives score above every
negative (of their challenge, and of all challenges), ROC AUC, the lowest
positive and highest negative score, and a threshold chosen from the data:
midway in the gap when one separates them, else the score that maximises
TPR - FPR (Youden's J). copydetect is no dependency of grader: it is run with
the interpreter of a throwaway venv (--copydetect-python, default
$COPYDETECT_PYTHON or /tmp/cdvenv/bin/python) or imported when this
interpreter has it, and skipped with a note otherwise.
"""

from __future__ import annotations

import argparse
import bisect
import importlib.util
import itertools
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import corpus

sys.path.insert(0, str(corpus.ROOT))

from grader.fileio import write_atomic  # noqa: E402
from grader.similarity import DEFAULT_K, DEFAULT_THRESHOLD, DEFAULT_WINDOW, compare, fingerprint_files  # noqa: E402

RESULTS = corpus.ROOT / "benchmarks" / "results" / "similarity_quality.txt"
HELPER = corpus.HERE / "copydetect_scores.py"


# --------------------------------------------------------------------------- the labelled pairs

def labelled(slugs) -> dict:
    """slug -> (stub, texts, positives, negatives); a pair is (i, j, kind) into texts."""
    data = {}
    for slug in slugs:
        originals = corpus.originals(slug)
        copies = corpus.disguised(slug)
        texts = originals + copies
        where = {item.author: number for number, item in enumerate(originals)}
        positives = [(where[copy.author], len(originals) + number, copy.kind) for number, copy in enumerate(copies)]
        negatives = [(i, j, "independent") for i, j in itertools.combinations(range(len(originals)), 2)]
        data[slug] = (corpus.stub(slug), texts, positives, negatives)
    return data


# --------------------------------------------------------------------------- scorers

def grader_pairwise(data, k, window) -> dict:
    scores = {}
    for slug, (stub, texts, positives, negatives) in data.items():
        base = fingerprint_files({"solution.py": stub}, k=k, window=window)
        prints = [fingerprint_files({"solution.py": item.text}, base=base, k=k, window=window) for item in texts]
        found = []
        for i, j, _ in positives + negatives:
            result = compare({"a": prints[i], "b": prints[j]}, min_score=0.0)
            found.append(result.pairs[0].score if result.pairs else 0.0)
        scores[slug] = found
    return scores


def grader_batch(data, k, window) -> dict:
    """Every text of a challenge in one compare(), the reference as known: the scores of the labelled pairs."""
    scores = {}
    for slug, (stub, texts, positives, negatives) in data.items():
        base = fingerprint_files({"solution.py": stub}, k=k, window=window)
        names = [f"{number}:{item.name}" for number, item in enumerate(texts)]
        prints = {name: fingerprint_files({"solution.py": item.text}, base=base, k=k, window=window)
                  for name, item in zip(names, texts)}
        known = {name: prints.pop(name) for name, item in zip(names, texts) if item.name == "reference"}
        result = compare(prints, known, min_score=0.0)
        by_pair = {frozenset((pair.a, pair.b)): pair.score for pair in result.pairs}
        scores[slug] = [by_pair.get(frozenset((names[i], names[j])), 0.0) for i, j, _ in positives + negatives]
    return scores


def too_short(data, k, window) -> list:
    """Challenges with an original shorter than k + window - 1 tokens: the shortest shared run that
    winnowing is sure to see, so a copy of it can go unseen whatever the engine does."""
    found = []
    for slug, (_, texts, positives, _) in data.items():
        originals = texts[:len(texts) - len(positives)]
        if any(sum(fingerprint_files({"solution.py": item.text}, k=k, window=window).tokens.values())
               < k + window - 1 for item in originals):
            found.append(slug)
    return found


def without(data, scores, slugs) -> tuple:
    pos, neg = [], []
    for slug in data:
        if slug not in slugs:
            p, n = split(data, scores, slug)
            pos += [value for _, value in p]
            neg += n
    return pos, neg


def copydetect_python(requested: str | None) -> str | None:
    if requested:
        return requested
    if importlib.util.find_spec("copydetect") is not None:
        return sys.executable
    candidate = os.environ.get("COPYDETECT_PYTHON") or "/tmp/cdvenv/bin/python"
    return candidate if Path(candidate).exists() else None


def copydetect_scores(data, python: str) -> tuple:
    groups = [{"stub": stub, "texts": [item.text for item in texts],
               "pairs": [[i, j] for i, j, _ in positives + negatives]}
              for stub, texts, positives, negatives in data.values()]
    run = subprocess.run([python, str(HELPER)], input=json.dumps({"groups": groups}), capture_output=True,
                         text=True, timeout=1800)
    if run.returncode != 0:
        raise RuntimeError(f"copydetect helper failed ({python}): {run.stderr.strip()[-2000:]}")
    reply = json.loads(run.stdout)
    return dict(zip(data, reply["scores"])), reply["version"]


# --------------------------------------------------------------------------- measures

def auc(positive, negative) -> float:
    """ROC AUC as the Mann-Whitney statistic: P(a positive outscores a negative), ties half."""
    if not positive or not negative:
        return float("nan")
    ordered = sorted(negative)
    wins = 0.0
    for value in positive:
        below = bisect.bisect_left(ordered, value)
        equal = bisect.bisect_right(ordered, value) - below
        wins += below + equal / 2
    return wins / (len(positive) * len(negative))


def threshold(positive, negative) -> tuple:
    """(value, how it was chosen, TPR, FPR): midway in the gap, or Youden's J at its best."""
    low, high = min(positive), max(negative)
    if low > high:
        value = (low + high) / 2
        return value, "midway in the gap", 1.0, 0.0
    points = sorted(set(positive) | set(negative))
    candidates = [(a + b) / 2 for a, b in zip(points, points[1:])] + [points[-1] + 1e-9]
    best = None
    for value in candidates:
        tpr = sum(p >= value for p in positive) / len(positive)
        fpr = sum(n >= value for n in negative) / len(negative)
        key = (tpr - fpr, -fpr)
        if best is None or key > best[0]:
            best = (key, value, tpr, fpr)
    return best[1], "max TPR-FPR (no gap)", best[2], best[3]


def rates(positive, negative, value) -> tuple:
    return (sum(p >= value for p in positive) / len(positive), sum(n >= value for n in negative) / len(negative))


def split(data, scores, slug):
    _, _, positives, negatives = data[slug]
    values = scores[slug]
    pos = [(kind, value) for (_, _, kind), value in zip(positives, values)]
    neg = values[len(positives):]
    return pos, neg


# --------------------------------------------------------------------------- report

def table(rows, headers) -> list:
    widths = [max(len(str(item)) for item in column) for column in zip(headers, *rows)]
    line = lambda row: "  ".join(str(item).rjust(width) if index else str(item).ljust(width)   # noqa: E731
                                 for index, (item, width) in enumerate(zip(row, widths)))
    return [line(headers), line(["-" * width for width in widths])] + [line(row) for row in rows]


def section(title, data, scores) -> tuple:
    """Lines for one tool, and its overall (positives, negatives)."""
    rows, all_pos, all_neg, above_own = [], [], [], 0
    for slug in data:
        pos, neg = split(data, scores, slug)
        values = [value for _, value in pos]
        top = max(neg)
        above = sum(value > top for value in values)
        above_own += above
        all_pos += values
        all_neg += neg
        rows.append([slug, len(values), len(neg), f"{above}/{len(values)}", f"{auc(values, neg):.3f}",
                     f"{min(values):.3f}", f"{top:.3f}", f"{min(values) - top:+.3f}"])
    top = max(all_neg)
    above_all = sum(value > top for value in all_pos)
    value, how, tpr, fpr = threshold(all_pos, all_neg)
    rows.append(["OVERALL", len(all_pos), len(all_neg), f"{above_all}/{len(all_pos)}",
                 f"{auc(all_pos, all_neg):.3f}", f"{min(all_pos):.3f}", f"{top:.3f}", f"{min(all_pos) - top:+.3f}"])
    lines = [title, ""]
    lines += table(rows, ["challenge", "pos", "neg", "pos>all neg", "AUC", "min pos", "max neg", "gap"])
    lines += ["", f"positives above every negative of their own challenge: {above_own}/{len(all_pos)}; "
                  f"above every negative of all challenges: {above_all}/{len(all_pos)}",
              f"threshold from the data: {value:.3f} ({how}): {tpr:.1%} of positives and {fpr:.1%} of negatives "
              f"at or above it"]
    return lines, (all_pos, all_neg)


def by_kind(data, tools) -> list:
    kinds = sorted({kind for _, _, positives, _ in data.values() for _, _, kind in positives},
                   key=lambda kind: (kind == "all", kind))
    rows = []
    for kind in kinds:
        row = [kind]
        for _, scores in tools:
            values, above = [], 0
            for slug in data:
                pos, neg = split(data, scores, slug)
                mine = [value for got, value in pos if got == kind]
                values += mine
                above += sum(value > max(neg) for value in mine)
            row += [f"{min(values):.3f}", f"{statistics.median(values):.3f}", f"{above}/{len(values)}"]
        rows.append(row)
    headers = ["disguise"]
    for name, _ in tools:
        headers += [f"{name} min", "median", "above neg"]
    return table(rows, headers)


def misses(data, scores, name, limit=12) -> list:
    """The positives at or below their challenge's highest negative, and the highest negatives."""
    lines, found, top = [f"{name}: positives not above every negative of their challenge"], [], []
    for slug, (_, texts, positives, negatives) in data.items():
        pos, neg = split(data, scores, slug)
        worst = max(neg)
        for (i, j, kind), (_, value) in zip(positives, pos):
            if value <= worst:
                found.append((value, f"  {slug} {texts[j].name}: {value:.3f} (highest negative {worst:.3f})"))
        for (i, j, _), value in zip(negatives, neg):
            top.append((value, f"  {slug} {texts[i].author} ~ {texts[j].author}: {value:.3f}"))
    lines += [text for _, text in sorted(found)[:limit]] or ["  none"]
    if len(found) > limit:
        lines.append(f"  ... and {len(found) - limit} more")
    lines.append(f"{name}: the highest-scoring negatives")
    lines += [text for _, text in sorted(top, reverse=True)[:5]]
    return lines


def sweep(data) -> list:
    rows = []
    for k in (6, 8, 10, 12, 15, 20):
        for window in (1, 4, 8, 12):
            scores = grader_pairwise(data, k, window)
            pos, neg, above = [], [], 0
            for slug in data:
                p, n = split(data, scores, slug)
                values = [value for _, value in p]
                above += sum(value > max(n) for value in values)
                pos += values
                neg += n
            rows.append([k, window, f"{auc(pos, neg):.4f}", f"{above}/{len(pos)}",
                         f"{sum(value > max(neg) for value in pos)}/{len(pos)}", f"{min(pos):.3f}",
                         f"{max(neg):.3f}", f"{statistics.mean(neg):.3f}"])
    return table(rows, ["k", "window", "AUC", "pos>own neg", "pos>all neg", "min pos", "max neg", "mean neg"])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--k", type=int, default=DEFAULT_K)
    parser.add_argument("--window", type=int, default=DEFAULT_WINDOW)
    parser.add_argument("--sweep", action="store_true", help="also try other k and window values (grader only)")
    parser.add_argument("--no-copydetect", action="store_true")
    parser.add_argument("--copydetect-python", default=None)
    parser.add_argument("--challenge", action="append", help="only this challenge (repeatable)")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    started = time.monotonic()
    data = labelled(args.challenge or corpus.challenges())
    kinds = {}
    for _, _, positives, _ in data.values():
        for _, _, kind in positives:
            kinds[kind] = kinds.get(kind, 0) + 1
    authors = sum(len(texts) - len(positives) for _, texts, positives, _ in data.values())
    n_pos = sum(len(positives) for _, _, positives, _ in data.values())
    n_neg = sum(len(negatives) for _, _, _, negatives in data.values())
    lines = [
        "Similarity report quality (issue 15): disguised copies against independent solutions",
        f"python {platform.python_version()}; grader k={args.k}, window={args.window}; "
        f"produced by benchmarks/similarity/evaluate.py at {corpus.revision()}",
        "",
        f"Data: {len(data)} challenges; {authors} independent solutions ({authors // len(data)} per challenge: "
        f"5 written for this set in different styles, under benchmarks/similarity/independent/, and the "
        f"reference); {n_pos} positives = (original, disguised copy) pairs made by disguise.py, per disguise: "
        + ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
        + " (a disguise that leaves a solution unchanged is left out); "
        f"{n_neg} negatives = every pair of two independent solutions of the same challenge. "
        "check.py runs `grader test` on every original and copy (benchmarks/results/similarity_check.txt).",
        "Score: grader = shared winnowed fingerprints over the smaller side's, the stub's taken away; "
        "copydetect = the larger of its two similarities, the stub as boilerplate, its default noise 25 and "
        "guarantee 25.",
        "",
    ]
    ours = grader_pairwise(data, args.k, args.window)
    part, (our_pos, our_neg) = section(f"== grader, each pair compared alone (k={args.k}, window={args.window})",
                                       data, ours)
    lines += part
    on, off = rates(our_pos, our_neg, DEFAULT_THRESHOLD)
    lines += [f"at grader's default threshold {DEFAULT_THRESHOLD}: {on:.1%} of positives, {off:.1%} of negatives "
              "flagged"]
    short = too_short(data, args.k, args.window)
    if short:
        pos, neg = without(data, ours, short)
        value, how, tpr, fpr = threshold(pos, neg)
        lines += [f"a solution shorter than k + window - 1 = {args.k + args.window - 1} tokens: "
                  f"{', '.join(short)}; without them: AUC {auc(pos, neg):.3f}, lowest positive "
                  f"{min(pos):.3f}, highest negative {max(neg):.3f}, threshold {value:.3f} ({how}): {tpr:.1%} "
                  f"of positives and {fpr:.1%} of negatives at or above it"]
    lines.append("")
    batch = grader_batch(data, args.k, args.window)
    part, (batch_pos, batch_neg) = section("== grader in batch (all of a challenge in one compare(), the "
                                           "reference as known; common fingerprints dropped)", data, batch)
    lines += part + [""]
    tools = [("grader", ours), ("batch", batch)]
    python = None if args.no_copydetect else copydetect_python(args.copydetect_python)
    if python is None:
        lines += ["== copydetect: skipped (not installed here; give --copydetect-python, e.g. a venv made with "
                  "`python3 -m venv /tmp/cdvenv && /tmp/cdvenv/bin/pip install copydetect`)", ""]
    else:
        theirs, version = copydetect_scores(data, python)
        part, (cd_pos, cd_neg) = section(f"== copydetect {version} on the same pairs (noise 25, guarantee 25)",
                                         data, theirs)
        lines += part
        on, off = rates(cd_pos, cd_neg, 0.33)
        lines += [f"at copydetect's default display threshold 0.33: {on:.1%} of positives, {off:.1%} of "
                  "negatives shown", ""]
        tools.append(("copydetect", theirs))
    lines += ["== per disguise, over all challenges (above neg: above every negative of its challenge)", ""]
    lines += by_kind(data, tools) + [""]
    lines += ["== the hard cases", ""]
    for name, scores in tools:
        lines += misses(data, scores, name) + [""]
    if args.sweep:
        lines += ["== grader with other k and window (each pair alone)", ""] + sweep(data) + [""]
    lines.append(f"({time.monotonic() - started:.0f} s)")
    text = "\n".join(lines) + "\n"
    write_atomic(args.output, text)
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
