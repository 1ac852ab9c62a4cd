"""What changed between two reports of the same submission: the watch
loop (``grader test --watch``) shows this after each re-run instead of the
whole report, so a candidate sees at once what their last save did.

``compare`` is pure data (report in, ``Change`` out); ``rich_change`` draws
it. Tests are matched by name, the name the report's table and panels use.
"""

from __future__ import annotations

import dataclasses

from rich.console import Group
from rich.panel import Panel
from rich.text import Text

from grader.report.model import Report, TestResult
from grader.report.render import STATUS_STYLE


@dataclasses.dataclass(frozen=True)
class Change:
    newly_passing: tuple[str, ...]      # pass now; failing (or not there) before
    newly_failing: tuple[str, ...]      # not passing now; passing (or not there) before
    still_failing: int                  # failing before and now (their message may differ)
    still_passing: int
    verdict: tuple[str, str]            # (before, after)
    score: tuple[float, float]
    max_score: float
    focus: TestResult | None            # the first test that does not pass now, the one to look at


def _passes(test: TestResult) -> bool:
    return test.status == "pass"


def compare(before: Report, after: Report) -> Change:
    """``after`` against ``before``. A test ``before`` did not have (its run
    could not grade the code, or complexity added one) counts as changed
    whichever way it goes now; one ``after`` lacks is not listed."""
    old = {test.name: _passes(test) for test in before.tests}
    newly_passing, newly_failing = [], []
    still_failing = still_passing = 0
    for test in after.tests:
        was = old.get(test.name)
        if _passes(test):
            if was:
                still_passing += 1
            else:
                newly_passing.append(test.name)
        elif was is False:
            still_failing += 1
        else:
            newly_failing.append(test.name)
    focus = next((test for test in after.tests if not _passes(test) and not test.bonus), None) \
        or next((test for test in after.tests if not _passes(test)), None)
    return Change(tuple(newly_passing), tuple(newly_failing), still_failing, still_passing,
                  (before.verdict, after.verdict), (before.score, after.score), after.max_score, focus)


def _names(label: str, names: tuple[str, ...], style: str) -> Text:
    return Text.assemble((label, f"bold {style}"), ", ".join(names))


def rich_change(change: Change, after: Report, *, max_lines: int | None = None) -> Group:
    """The change as lines, then the panel to keep in view: the first
    failing test's message and counterexample (at most ``max_lines`` of it:
    its first line and its end, where the call that went wrong is, so that
    it fits a terminal), or the reason the verdict is not a pass, or that
    everything passes."""
    before_verdict, after_verdict = change.verdict
    before_score, after_score = change.score
    verdict = (Text.assemble((before_verdict.upper(), STATUS_STYLE.get(before_verdict, "")), " -> ")
               if before_verdict != after_verdict else Text())
    verdict.append(after_verdict.upper(), f"bold {STATUS_STYLE.get(after_verdict, '')}")
    score = (f"{before_score:.1f} -> {after_score:.1f}" if round(before_score, 1) != round(after_score, 1)
             else f"{after_score:.1f}")
    parts = [Text.assemble((f"{after.challenge}: ", "bold"), verdict, f"  score {score}/{change.max_score:g}")]
    if after.message:
        parts.append(Text(after.message))
    if change.newly_passing:
        parts.append(_names("newly passing: ", change.newly_passing, "green"))
    if change.newly_failing:
        parts.append(_names("newly failing: ", change.newly_failing, "red"))
    if not change.newly_passing and not change.newly_failing and after.tests:
        parts.append(Text("no test changed", style="dim"))
    if change.still_failing or change.still_passing:
        parts.append(Text(f"unchanged: {change.still_passing} passing, {change.still_failing} failing", style="dim"))
    if after.complexity:     # --complexity: each operation's verdict, on one line
        parts.append(Text("complexity: " + ", ".join(f"{c.operation} {c.verdict}" for c in after.complexity)))
    parts.append(_focus_panel(change.focus, after, max_lines))
    return Group(*parts)


def _focus_panel(focus: TestResult | None, after: Report, max_lines: int | None) -> Panel:
    if focus is None:
        # Every test passes; a rule breach or a slower operation can still fail the verdict.
        reasons = [f"{r.file} line {r.line}: {r.rule}" + (f": {r.detail}" if r.detail else "") for r in after.rules]
        reasons += [f"{c.operation}: expected {c.expected}, looks {c.measured or 'slower'}"
                    for c in after.complexity if c.verdict == "slower"]
        text = "\n".join(reasons) if reasons else (
            "Every hidden test passes." if after.tests else f"Verdict: {after.verdict}.")
        return Panel(Text(text), title=Text("every test passes" if after.tests else after.challenge),
                     title_align="left", border_style=STATUS_STYLE.get(after.verdict, ""))
    body = Text()
    if focus.description:
        body.append(focus.description + "\n\n", style="italic")
    body.append(focus.message or "(no message at this assessment's feedback level)")
    if focus.counterexample:
        body.append("\n\n")
        body.append(_cut(focus.counterexample, max_lines), style="cyan")
    return Panel(body, title=Text(f"{focus.name} ({focus.status})"), title_align="left",
                 border_style=STATUS_STYLE.get(focus.status, ""))


def _cut(counterexample: str, max_lines: int | None) -> str:
    lines = counterexample.splitlines()
    if max_lines is None or len(lines) <= max_lines:
        return counterexample
    keep = max(max_lines - 2, 1)
    return "\n".join([lines[0], f"... ({len(lines) - 1 - keep} lines not shown; `grader test` shows them all)",
                      *lines[-keep:]])
