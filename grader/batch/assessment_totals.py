"""Per-candidate weighted totals of an assessment graded with ``grader grade``.

A candidate is the folder that holds the challenge folders: the parent of
each submission folder (``batch/alice/lru-cache`` -> ``batch/alice``). Each
challenge counts ``weight * score / max_score``; a challenge the candidate
did not hand in counts 0; the total is out of 100. Nothing is redacted here:
the scores are the full reports' (the feedback level never changes a score).
"""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import PurePath

from rich.markup import escape
from rich.console import Group
from rich.table import Table
from rich.text import Text

from grader.fileio import spreadsheet_safe

FILE_NAME = "assessment.csv"


@dataclasses.dataclass(frozen=True)
class CandidateTotal:
    candidate: str
    scores: dict            # slug -> score (out of that challenge's max_score), absent when not handed in
    max_scores: dict        # slug -> max_score
    total: float            # weighted, out of 100
    duplicates: tuple = ()  # slugs handed in more than once (the best score counts)


def candidate_of(label: str) -> str:
    """The folder above the submission's (``a.zip!/lru-cache`` -> ``a.zip``)."""
    path = PurePath(label)
    folder = path.parent if path.suffix == ".py" else path
    candidate = str(folder.parent)
    return candidate[:-1] if candidate.lower().endswith(".zip!") else candidate


def totals(items: list, assessment) -> list[CandidateTotal]:
    """[(label, report dict)] -> one CandidateTotal per candidate, in order of appearance."""
    grouped: dict[str, dict] = {}
    seen: dict[str, set] = {}
    maxima: dict[str, dict] = {}
    duplicates: dict[str, list] = {}
    for label, report in items:
        candidate = candidate_of(label)
        scores = grouped.setdefault(candidate, {})
        slug = report["challenge"]
        if slug in seen.setdefault(candidate, set()):
            duplicates.setdefault(candidate, []).append(slug)
        seen[candidate].add(slug)
        score = float(report["score"])
        scores[slug] = max(score, scores.get(slug, score))
        maxima.setdefault(candidate, {})[slug] = float(report["max_score"])
    weight_sum = assessment.total_weight
    result = []
    for candidate, scores in grouped.items():
        total = 0.0
        for slug in assessment.slugs:
            maximum = maxima[candidate].get(slug) or 0.0
            if slug in scores and maximum > 0:
                total += assessment.weight(slug) * scores[slug] / maximum
        result.append(CandidateTotal(candidate, scores, maxima[candidate],
                                     round(100.0 * total / weight_sum, 2) if weight_sum else 0.0,
                                     tuple(dict.fromkeys(duplicates.get(candidate, ())))))
    return result


def to_csv(rows: list[CandidateTotal], assessment) -> str:
    """candidate, one column per challenge (its score; empty when not handed
    in), total (weighted, out of 100)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["candidate", *assessment.slugs, "total"])
    for row in rows:
        writer.writerow([spreadsheet_safe(row.candidate), *(_number(row.scores.get(slug)) for slug in assessment.slugs),
                         _number(row.total)])
    return out.getvalue()


def _number(value) -> str:
    return "" if value is None else f"{value:g}"


def table(rows: list[CandidateTotal], assessment) -> Group:
    """The title on a line of its own (a table's title wraps to the table's
    width, a few columns), then a row per candidate."""
    weights = ", ".join(f"{slug} x{assessment.weight(slug):g}" for slug in assessment.slugs)
    title = Text(f"{assessment.name}: weighted totals ({weights})", style="bold")
    result = Table("candidate", *assessment.slugs, "total /100", header_style="bold")
    for row in rows:
        cells = []
        for slug in assessment.slugs:
            score = row.scores.get(slug)
            cells.append("-" if score is None else f"{score:g}/{row.max_scores[slug]:g}")
        result.add_row(Text(row.candidate), *cells, f"{row.total:.1f}")
    return Group(title, result)


def with_assessment(err, assessment, found: list) -> list:
    """The batch's submissions with the assessment's challenges (limits), or
    as they are without one. (The grader.toml files inside the PATHs, never
    applied, are named by grader.assessment.ignored_warning.)"""
    return assessment.apply(found) if assessment is not None else found


def write_totals(err, items: list, assessment, output_dir) -> None:
    """Print the per-candidate weighted totals (standard error: standard
    output may carry a format) and write assessment.csv into output_dir."""
    rows = totals(items, assessment)
    err.print(table(rows, assessment))
    for row in rows:
        if row.duplicates:
            err.print(f"[yellow]warning:[/] {escape(row.candidate)} handed in {escape(', '.join(row.duplicates))} "
                      "more than once; "
                      "the best score counts.", soft_wrap=True, highlight=False)
    if output_dir is not None:
        from grader.fileio import write_atomic
        write_atomic(output_dir / FILE_NAME, to_csv(rows, assessment))
        err.print(f"Wrote {output_dir / FILE_NAME}", soft_wrap=True, highlight=False, markup=False)
