"""Every report stays small, whatever the submission made its texts say.

Messages, counterexamples and output excerpts come from the sandbox's
replies (bounded where they are read) and from the host's own rendering
(bounded too); this is the last line: each text is cut to its cap, rule
findings beyond a few become one count, and if the whole report would
still be large, the texts are cut harder until it fits. Every format
(JSON, JUnit, HTML, CSV, Gradescope, GitHub) is written from this report.
"""

from __future__ import annotations

import dataclasses
import json

from grader.constants import (MAX_COUNTEREXAMPLE_CHARS, MAX_MESSAGE_CHARS, MAX_OUTPUT_IN_REPORT,
                              MAX_REPORT_BYTES, MAX_RULE_FINDINGS_IN_REPORT)
from grader.fileio import cut_middle, cut_printable
from grader.report.model import Report, RuleFinding

# The JSON form is kept well under the cap: the other formats repeat the same
# texts with their own markup (HTML escapes, XML attributes).
JSON_BUDGET = MAX_REPORT_BYTES // 4
HARD_TEXT_CHARS = 300


def cut(text: str, limit: int) -> str:
    """At most ``limit`` characters (and a note of how many more), with lone
    surrogates escaped: every output (UTF-8 text, SQLite, XML) can hold it."""
    return cut_printable(text, limit, "more characters not kept")


def _findings(rules: tuple[RuleFinding, ...]) -> tuple[RuleFinding, ...]:
    kept = tuple(dataclasses.replace(r, detail=cut(r.detail, 300), file=cut(r.file, 200))
                 for r in rules[:MAX_RULE_FINDINGS_IN_REPORT])
    if len(rules) <= MAX_RULE_FINDINGS_IN_REPORT:
        return kept
    last = rules[MAX_RULE_FINDINGS_IN_REPORT]
    more = RuleFinding(rule=last.rule, line=last.line, file=last.file,
                       detail=f"... and {len(rules) - MAX_RULE_FINDINGS_IN_REPORT:,} more findings not listed")
    return kept + (more,)


def _texts(report: Report, message: int, counterexample: int, output: int) -> Report:
    tests = tuple(dataclasses.replace(t, message=cut(t.message, message),
                                      counterexample=cut(t.counterexample, counterexample),
                                      description=cut(t.description, 300))
                  for t in report.tests)
    return dataclasses.replace(report, tests=tests, message=cut(report.message, MAX_MESSAGE_CHARS),
                               output=cut_middle(report.output, output), rules=_findings(report.rules))


def _size(report: Report) -> int:
    return len(json.dumps(report.to_dict()).encode())


def bounded(report: Report) -> Report:
    """The report with every text within its cap and the whole within budget."""
    report = _texts(report, MAX_MESSAGE_CHARS, MAX_COUNTEREXAMPLE_CHARS, MAX_OUTPUT_IN_REPORT)
    if _size(report) > JSON_BUDGET:
        report = _texts(report, HARD_TEXT_CHARS, HARD_TEXT_CHARS, HARD_TEXT_CHARS)
    return report
