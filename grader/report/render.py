"""Renderers: pure functions from a report to text, looked up by format name."""

from __future__ import annotations

import io
import json

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from grader.report.model import Report

STATUS_STYLE = {"pass": "green", "fail": "red", "error": "magenta", "timeout": "yellow"}


def to_json(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


def rich_report(report: Report, *, show_details: bool = True) -> Group:
    """A rich renderable for the terminal."""
    parts = []
    verdict_style = STATUS_STYLE.get(report.verdict, "bold")
    headline = Text.assemble(
        (f"{report.challenge}: ", "bold"), (report.verdict.upper(), f"bold {verdict_style}"),
        " (complexity not checked)" if report.complexity_skipped else "",
        f"  score {report.score:.1f}/{report.max_score:g}")
    parts.append(headline)
    if report.message:
        parts.append(Text(report.message))
    if report.tests:
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        table.add_column("test")
        table.add_column("status")
        for test in report.tests:     # the test's name, as in every panel, format and transcript
            label = test.name + (" (bonus)" if test.bonus else "")
            table.add_row(Text(label), Text(test.status, STATUS_STYLE.get(test.status, "")))
        parts.append(table)
    for test in report.tests:
        if test.status != "pass" and show_details and (test.message or test.counterexample):
            body = Text()
            if test.description:      # the sentence of the contract this test checks
                body.append(test.description + "\n\n", style="italic")
            body.append(test.message)
            if test.counterexample:
                body.append("\n\n")
                body.append(test.counterexample, style="cyan")
            parts.append(Panel(body, title=Text(f"{test.name} ({test.status})"), title_align="left",
                                border_style=STATUS_STYLE.get(test.status, "")))
    if report.rules:
        rules = Table("file", "line", "rule", "detail", box=None, header_style="bold")
        for finding in report.rules:
            # Text, not markup: a file name or a quoted line is the candidate's ("[red].py").
            rules.add_row(*map(Text, (finding.file, str(finding.line), finding.rule, finding.detail)))
        parts.append(Text("Rule violations", style="bold red"))
        parts.append(rules)
    for item in report.complexity:
        parts.extend(_complexity_table(item) if item.details else [_complexity_line(item)])
    if report.timed_out or report.memory_exceeded:
        limits = [name for name, hit in (("time limit exceeded", report.timed_out),
                                         ("memory limit exceeded", report.memory_exceeded)) if hit]
        parts.append(Text("Limits: " + ", ".join(limits), style="yellow"))
    if report.output.strip() and show_details:
        # Already bounded (its start and its end, the cut marked): show it as kept.
        parts.append(Panel(Text(report.output), title="what your code printed", title_align="left"))
    if report.feedback in FEEDBACK_NOTES:   # (at level none, the message says it)
        parts.append(Text(FEEDBACK_NOTES[report.feedback], style="italic"))
    # The whole hash, as every other format shows it, on a line of its own.
    parts.append(Text(f"sandbox: {report.sandbox}  seed: {report.seed}"
                      + (f"  assessment: {report.assessment['name']}" if report.assessment else "")
                      + (f"  hints used: {report.hints_used}" if report.hints_used else "")
                      + f"\nsubmission sha256: {report.submission_sha256 or '-'}", style="dim"))
    return Group(*parts)


FEEDBACK_NOTES = {
    "summary": "Feedback level: summary (this assessment shows pass or fail per hidden test and complexity "
               "check, without messages, counterexamples or measurements).",
}


def _complexity_line(item) -> Text:
    """A complexity verdict without its numbers (summary feedback)."""
    style = {"meets": "green", "slower": "red"}.get(item.verdict, "yellow")
    looks = f", looks {item.measured}" if item.measured else ""
    return Text.assemble((f"{item.operation}", "bold"), f": expected {item.expected}{looks} -> ",
                         (item.verdict, f"bold {style}"))


def _complexity_table(item) -> list:
    """Sizes, candidate vs reference measurements, ratio: the numbers behind a
    verdict. The headline and the reason are lines of their own, not the
    table's title and caption, which rich wraps to the narrow table's width."""
    details = item.details
    space = details.get("kind") == "space"
    unit = "bytes" if space else "seconds"
    style = {"meets": "green", "slower": "red"}.get(item.verdict, "yellow")
    slope = details.get("relative_slope")
    title = Text.assemble((f"{item.operation}", "bold"), f": expected {item.expected}, looks {item.measured} -> ",
                          (item.verdict, f"bold {style}"),
                          f"  (relative slope {slope:+.2f})" if slope is not None else "")
    table = Table(details.get("axis", "n"), "yours", "reference", "ratio", box=None, header_style="bold")
    for size, mine, theirs, ratio in zip(details.get("sizes", []), details.get(f"candidate_{unit}", []),
                                         details.get(f"reference_{unit}", []), details.get("ratios", [])):
        mine_cell, ratio_cell = _amount(mine, space), "-" if ratio is None else f"{ratio:.2f}x"
        if mine is None and details.get("stopped_at") == size and isinstance(details.get("cap_seconds"), (int, float)):
            mine_cell, ratio_cell = _over_the_cap(details, theirs)
        table.add_row(f"{size:,}", mine_cell, _amount(theirs, space), ratio_cell)
    reason = details.get("reason", "")
    return [title, table] + ([Text(reason, style="dim italic")] if reason else [])


def _over_the_cap(details: dict, theirs) -> tuple[str, str]:
    """"yours" and "ratio" where the cap stopped the measurement: not "-",
    which reads as "not measured", but at least the cap."""
    cap = details["cap_seconds"]
    setup = "setup " if details.get("stopped_in") == "setup" else ""
    ratio = (f"over {cap / theirs:.2f}x" if not setup and isinstance(theirs, (int, float)) and theirs > 0 else "-")
    return f"{setup}over {cap * 1000:,.0f} ms (cap)", ratio


def _amount(value, space: bool) -> str:
    if value is None:
        return "-"
    return f"{value / 1024:,.1f} KiB" if space else f"{value * 1000:,.2f} ms"


def to_text(report: Report) -> str:
    """Plain text (no colour codes), for files and pipes."""
    console = Console(width=100, no_color=True, force_terminal=False, file=io.StringIO())
    console.print(rich_report(report))
    return console.file.getvalue()


RENDERERS = {"json": to_json, "text": to_text}
