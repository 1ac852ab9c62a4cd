"""The similarity report as text (rich renderables), JSON and CSV.

Pure functions from a SimilarityReport; the CLI prints or writes what they
return. Every name and path is shown as text, never as rich markup.
"""

from __future__ import annotations

import csv
import io
import json

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from grader.fileio import spreadsheet_safe
from grader.similarity.report import SimilarityReport

MAX_ROWS = 100          # pairs per challenge in the terminal; JSON and CSV hold them all
CSV_COLUMNS = ["challenge", "a", "b", "b_known", "score", "shared", "longest_tokens", "lines_a", "lines_b"]


def lines(ranges) -> str:
    """``solution.py:5-21,30-32 helper.py:3-9``: each file once, then its line ranges."""
    out: list = []
    for file, first, last in ranges:
        span = f"{first}" + (f"-{last}" if last != first else "")
        if out and out[-1][0] == file:
            out[-1][1].append(span)
        else:
            out.append((file, [span]))
    return " ".join(f"{file}:{','.join(spans)}" for file, spans in out)


def to_json(report: SimilarityReport) -> str:
    """Indented, but each pair, cluster and skipped submission on one line:
    a batch of 1,000 lists tens of thousands of pairs, and ``indent`` takes
    json's pure-Python encoder (seconds), where one line each takes its C one."""
    return _indented(report.to_json(), 0) + "\n"


_EXPANDED_DEPTH = 4        # the report (0), its challenges (1), a challenge (2), its lists (3); their items on a line


def _indented(value, depth: int) -> str:
    if depth >= _EXPANDED_DEPTH or not isinstance(value, (dict, list)) or not value:
        return json.dumps(value, ensure_ascii=False)
    inner = "  " * (depth + 1)
    if isinstance(value, dict):
        items = [f"{inner}{json.dumps(key, ensure_ascii=False)}: {_indented(item, depth + 1)}"
                 for key, item in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + "  " * depth + "}"
    items = [inner + _indented(item, depth + 1) for item in value]
    return "[\n" + ",\n".join(items) + "\n" + "  " * depth + "]"


def to_csv(report: SimilarityReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for item in report.challenges:
        for pair in item.result.pairs:
            writer.writerow([item.challenge, spreadsheet_safe(pair.a), spreadsheet_safe(pair.b), "yes" if pair.b_known else "no", f"{pair.score:.4f}",
                             pair.shared, pair.longest_tokens, lines(pair.ranges_a), lines(pair.ranges_b)])
    return out.getvalue()


def to_text(report: SimilarityReport) -> Group:
    """Per challenge: the ranked pairs (score, longest shared fragment, line
    ranges on both sides), the clusters, and what was not compared."""
    parts = []
    for item in report.challenges:
        result = item.result
        known = f", {len(item.known)} known solution(s)" if item.known else ""
        longest = " (longest: the longest run of matching tokens)" if result.pairs else ""
        likely = sum(1 for pair in result.pairs if pair.score >= report.threshold)
        parts.append(Text.assemble((f"{item.challenge}", "bold"), f": {result.submissions} submission(s){known}; "
                                   f"{likely} pair(s) at or above {report.threshold:g}{longest}"))
        if result.pairs:
            table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
            table.add_column("#", justify="right")
            table.add_column("score", justify="right")
            for title in ("submission", "shares code with"):
                table.add_column(title, overflow="fold", ratio=2)
            table.add_column("longest", justify="right")
            for title in ("its lines", "their lines"):
                table.add_column(title, overflow="fold", ratio=1)
            for rank, pair in enumerate(result.pairs[:MAX_ROWS], 1):
                style = "bold red" if pair.score >= report.threshold else ""
                table.add_row(str(rank), Text(f"{pair.score:.2f}", style=style), Text(pair.a),
                              Text(pair.b + (" (known)" if pair.b_known else "")),
                              f"{pair.longest_tokens}", Text(lines(pair.ranges_a)), Text(lines(pair.ranges_b)))
            parts.append(table)
            if len(result.pairs) > MAX_ROWS:
                parts.append(Text(f"... {len(result.pairs) - MAX_ROWS} more pair(s) (all in --format json or csv)",
                                  style="dim"))
        else:
            parts.append(Text("No two submissions share code beyond the stub.", style="dim"))
        for number, cluster in enumerate(result.clusters, 1):
            parts.append(Text(f"cluster {number}: " + ", ".join(cluster)))
        for name, why in item.skipped:
            parts.append(Text(f"not compared: {name}: {why}", style="yellow"))
        parts.append(Text(""))
    if not report.challenges:
        parts.append(Text("No submission to compare."))
    return Group(*parts)
