"""Batch formats: pure functions from [(submission label, report dict)] to
text. The report dict is the contract's report object (``Report.to_dict()``),
which is also what the results database keeps, so stored and fresh results
render the same."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
import xml.etree.ElementTree as ET

from grader.constants import SOLUTION_FILE
from grader.fileio import spreadsheet_safe
from grader.report.gradescope import to_gradescope
from grader.report.html import to_html

Items = list  # [(label, report dict)]

# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Runs of characters a JUnit classname part is better without (a dot would nest).
_NOT_IN_NAMES = re.compile(r"[^\w-]+")


def to_jsonl(items: Items) -> str:
    """One contract report per line, with the submission's path first."""
    return "".join(json.dumps({"submission": label, **report}, ensure_ascii=False) + "\n"
                   for label, report in items)


def _xml_text(text) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", "" if text is None else str(text))


def _seconds(value) -> float:
    """A duration from a report (maybe a stored or merged one): a finite
    number of seconds, at least 0, else 0."""
    try:
        value = float(value or 0)
    except (TypeError, ValueError):
        return 0.0
    return value if math.isfinite(value) and value > 0 else 0.0


def _classname(slug: str, label: str, taken: set) -> str:
    """``<challenge>.<submission>``, so CI viewers group each candidate's
    cases apart: the label with every run of other characters than letters,
    digits, ``_`` and ``-`` made one ``_`` (a dot would nest), and a short
    hash of the label when two labels come out the same."""
    name = slug + "." + (_NOT_IN_NAMES.sub("_", label).strip("_") or "submission")
    if name in taken:
        name += "_" + hashlib.sha256(label.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    taken.add(name)
    return name


def _testcases(report: dict, classname: str):
    """(classname, name, outcome tag or None, message, text, seconds) per
    hidden test, bonus test, complexity check, rule breach and load error.
    Seconds are the host's wall time of each (None where none is recorded)."""
    test_seconds = report.get("test_seconds")
    test_seconds = test_seconds if isinstance(test_seconds, dict) else {}
    for test in report["correctness"]["tests"]:
        tag = {"pass": None, "fail": "failure"}.get(test["status"], "error")
        yield classname, test["name"], tag, test["message"], test["counterexample"], test_seconds.get(test["name"])
    for test in report.get("bonus", {}).get("tests", []):
        tag = None if test["status"] == "pass" else "skipped"   # bonus tests never fail a build
        yield (classname + ".bonus", test["name"], tag, test["message"], test["counterexample"],
               test_seconds.get(test["name"]))
    for check in report["complexity"]:
        tag = "failure" if check["verdict"] == "slower" else None
        yield (classname + ".complexity", check["operation"], tag,
               f"expected {check['expected']}, looks {check['measured']} ({check['verdict']})", check.get("reason", ""),
               check.get("duration_seconds"))
    if report["rules"]:
        text = "\n".join(f"{r['file']}:{r['line']}: {r['rule']}: {r['detail']}" for r in report["rules"])
        yield classname, "rules", "failure", "the code breaks the challenge's rules", text, None
    if report["verdict"] == "error" and not report["correctness"]["tests"]:
        yield (classname, "grading", "error", report.get("message", ""), report.get("output", ""),
               report.get("duration_seconds"))


def to_junit(items: Items) -> str:
    """JUnit XML: a testsuite per submission, a testcase per check; the
    counterexample is the failure's text."""
    root = ET.Element("testsuites", name="grader")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    taken: set = set()
    for label, report in items:
        suite = ET.SubElement(root, "testsuite", name=_xml_text(label))
        properties = ET.SubElement(suite, "properties")
        for name in ("challenge", "verdict", "score", "max_score", "submission_sha256", "seed", "grader_version"):
            ET.SubElement(properties, "property", name=name, value=_xml_text(report.get(name, "")))
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        base = _classname(report["challenge"], label, taken)
        for classname, name, tag, message, text, seconds in _testcases(report, base):
            case = ET.SubElement(suite, "testcase", classname=_xml_text(classname), name=_xml_text(name),
                                 time=f"{_seconds(seconds):.3f}")
            counts["tests"] += 1
            if tag:
                outcome = ET.SubElement(case, tag, message=_xml_text(message))
                if tag != "skipped":
                    outcome.set("type", tag)
                    outcome.text = _xml_text(text)
                counts[{"failure": "failures", "error": "errors", "skipped": "skipped"}[tag]] += 1
        suite.set("time", f"{_seconds(report.get('duration_seconds')):.3f}")
        for name, value in counts.items():
            suite.set(name, str(value))
            totals[name] += value
    for name in ("tests", "failures", "errors"):   # JUnit's schema has no "skipped" on <testsuites>
        root.set(name, str(totals[name]))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


CSV_COLUMNS = ("submission", "challenge", "verdict", "score", "max_score", "passed", "failed", "complexity",
               "submission_sha256")


def to_csv(items: Items) -> str:
    """One row per submission; complexity as ``operation=verdict`` pairs."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for label, report in items:
        complexity = ";".join(f"{c['operation']}={c['verdict']}" for c in report["complexity"])
        writer.writerow([spreadsheet_safe(label), report["challenge"], report["verdict"], report["score"], report["max_score"],
                         report["correctness"]["passed"], report["correctness"]["failed"], complexity,
                         report["submission_sha256"]])
    return out.getvalue()


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _annotation(file: str, line: int, title: str, message: str) -> str:
    return (f"::error file={_escape_property(file)},line={line},title={_escape_property(title)}"
            f"::{_escape_data(message.strip() or title)}")


def _solution_path(label: str) -> str:
    return label if label.endswith(".py") else f"{label.rstrip('/')}/{SOLUTION_FILE}"


def _folder(label: str) -> str:
    return label.rsplit("/", 1)[0] if label.endswith(".py") and "/" in label else label.rstrip("/")


def to_github(items: Items) -> str:
    """GitHub Actions workflow commands: an error annotation on solution.py
    per failing test, slower operation and rule breach."""
    lines = []
    for label, report in items:
        slug, file = report["challenge"], _solution_path(label)
        for test in report["correctness"]["tests"]:
            if test["status"] != "pass":
                message = test["message"] + ("\n" + test["counterexample"] if test["counterexample"] else "")
                lines.append(_annotation(file, 1, f"{slug}: {test['name']} ({test['status']})", message))
        for check in report["complexity"]:
            if check["verdict"] == "slower":
                lines.append(_annotation(file, 1, f"{slug}: {check['operation']} is slower than {check['expected']}",
                                         f"looks {check['measured']}. {check.get('reason', '')}"))
        for rule in report["rules"]:
            rule_file = file if rule["file"] == SOLUTION_FILE else f"{_folder(label)}/{rule['file']}"
            lines.append(_annotation(rule_file, rule["line"], f"{slug}: {rule['rule']}", rule["detail"]))
        if report["verdict"] == "error":
            found = re.search(r"\bline (\d+)", report.get("message", ""))
            lines.append(_annotation(file, int(found.group(1)) if found else 1, f"{slug}: cannot be graded",
                                     report.get("message", "")))
    return "".join(line + "\n" for line in lines)


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def github_summary(items: Items) -> str:
    """A markdown table for $GITHUB_STEP_SUMMARY."""
    passing = sum(1 for _, report in items if report["verdict"] == "pass")
    rows = [f"### Grader: {passing} of {len(items)} submissions pass", "",
            "| submission | challenge | verdict | score | tests passed | complexity |",
            "|---|---|---|---:|---:|---|"]
    for label, report in items:
        correctness = report["correctness"]
        tests = f"{correctness['passed']}/{correctness['passed'] + correctness['failed']}"
        complexity = ", ".join(f"{c['operation']}: {c['verdict']}" for c in report["complexity"]) or "-"
        rows.append(f"| {_cell(label)} | {_cell(report['challenge'])} | {_cell(report['verdict'])} | "
                    f"{report['score']:g}/{report['max_score']:g} | {tests} | {_cell(complexity)} |")
    return "\n".join(rows) + "\n\n"


BATCH_FORMATS = {"jsonl": to_jsonl, "junit": to_junit, "csv": to_csv, "github": to_github,
                 "gradescope": to_gradescope, "html": to_html}
FILE_NAMES = {"jsonl": "results.jsonl", "junit": "junit.xml", "csv": "results.csv",
              "github": "github-annotations.txt", "gradescope": "results.json", "html": "report.html"}
