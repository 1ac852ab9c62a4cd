"""Gradescope autograder results: ``results.json`` from [(label, report dict)].

The format is Gradescope's autograder specification
(https://gradescope-autograders.readthedocs.io/en/latest/specs/): a top-level
``score``, ``execution_time``, ``output``, ``visibility``,
``stdout_visibility`` and ``extra_data``, and a ``tests`` list whose entries
carry ``name``, ``number``, ``score``, ``max_score``, ``status`` (``passed`` or
``failed``), ``output``, ``tags`` and ``visibility``. Every text is plain
(``output_format``/``name_format`` ``text``): submissions' messages and
counterexamples are never rendered as HTML or markdown. The specification has
no top-level ``max_score``; the total possible is in ``extra_data``.

What becomes a test:

* each hidden test (tag ``correctness``), its message and counterexample in
  its ``output``;
* each complexity check, named ``complexity: <operation>`` (tag
  ``complexity``); "inconclusive" earns its points, as in the grader's score;
  when hidden tests fail the checks are not measured, and their points show as
  one failed ``complexity (not measured)`` test;
* each bonus test: 0 of 0 points, tag ``bonus``;
* rule breaches: one failed ``rules`` test worth 0 of 0 points, and every other
  test then earns 0 (a rule breaker scores 0);
* a submission that cannot be graded (verdict ``error``): one failed
  ``grading`` test worth the whole score, with the message.

Points. The top-level ``score`` is the report's score and is authoritative
(Gradescope's own rule: it overrides the tests' total). Per-test points split
``max_score`` into a correctness share, spread over the hidden tests by
weight, and a complexity share, spread equally over the checks. Reports carry
that split (``points``: ``{"correctness": C, "complexity": K}``) and each
test's ``weight``, so the tests' scores add up to the report's score. For a
report without them (written by an older grader), the split is read off the
report's numbers, every test weighing 1:

1. some check is ``slower``: checks run only once every hidden test passes,
   so every lost point is a complexity point:
   ``complexity = (max_score - score) * checks / slower checks``;
2. some hidden tests fail (no checks ran): every point earned is a
   correctness point: ``correctness = score * tests / passing tests``;
3. otherwise (everything passes, or nothing does) the split cannot be told
   and does not change the sum: every test and check is worth the same.

The share is snapped to a whole number when it is within the report's
rounding (scores are kept to 2 decimals). For such old reports of a
challenge that weighs its tests unequally, the per-test points are
approximate; the top-level score is always the grader's.

Feedback (``grader/report/feedback.py``). A report whose ``feedback`` is
``summary`` keeps its tests ``visible`` but only with pass/fail (no message or
counterexample); ``none`` makes every test ``hidden`` (instructors still see
them; Gradescope then hides the total from students, so the top-level
``output``, always visible, states verdict and score, and nothing more). A
report redacted to ``none`` has no tests left at all: results.json then
carries the score and no tests.

Several submissions. Gradescope grades one submission per container, so a
batch of one (the usual case: ``grader grade /autograder/submission
--challenge SLUG --format gradescope --output-dir /autograder/results``) gives the standard
object. A batch of several still gives one object: tests named
``<submission>: <test>``, numbered ``<submission #>.<test #>``, the score
and the ``extra_data`` totals summed, ``execution_time`` summed, and one line
per submission in ``output``.
"""

from __future__ import annotations

import json
import math

Items = list  # [(label, report dict)]

VISIBLE, HIDDEN = "visible", "hidden"
_ROUNDING = 0.005          # Report.to_dict() keeps the score to 2 decimals


def to_gradescope(items: Items) -> str:
    """One Gradescope results object for the batch (see the module docstring)."""
    several = len(items) > 1
    tests, lines, submissions = [], [], []
    for index, (label, report) in enumerate(items, start=1):
        prefix = f"{label}: " if several else ""
        for number, test in enumerate(_tests(report), start=1):
            test["name"] = prefix + test["name"]
            test["number"] = f"{index}.{number}"
            tests.append(test)
        lines.append(_summary(label, report, several))
        submissions.append({"submission": label, "challenge": report["challenge"], "verdict": report["verdict"],
                            "score": report["score"], "max_score": report["max_score"],
                            "submission_sha256": report.get("submission_sha256", ""),
                            "grader_version": report.get("grader_version", "")})
    result = {
        "score": _round(sum(float(report["score"]) for _, report in items)),
        "execution_time": math.ceil(sum(float(report.get("duration_seconds", 0) or 0) for _, report in items)),
        "output": "\n\n".join(lines) if lines else "No submission was graded.",
        "output_format": "text",
        "test_output_format": "text",
        "test_name_format": "text",
        "visibility": VISIBLE,
        "stdout_visibility": HIDDEN,      # the grader's own log: for instructors
        "extra_data": {"max_score": _round(sum(float(report["max_score"]) for _, report in items)),
                       "submissions": submissions},
        "tests": tests,
    }
    return json.dumps(result, indent=2, ensure_ascii=False) + "\n"


def _round(value: float) -> float:
    return round(value, 4)


def _summary(label: str, report: dict, several: bool) -> str:
    """The always-visible top-level text for one submission."""
    head = f"{report['challenge']}: {report['verdict'].upper()}, score {report['score']:g}/{report['max_score']:g}"
    if several:
        head = f"{label}: {head}"
    if report.get("feedback") == "none":
        return head
    parts = [head]
    if report.get("message"):
        parts.append(report["message"])
    limits = report.get("limits", {})
    hit = [text for key, text in (("timed_out", "a time limit was hit"),
                                  ("memory_exceeded", "the memory limit was hit")) if limits.get(key)]
    if hit:
        parts.append("Limits: " + ", ".join(hit) + ".")
    return "\n".join(parts)


def _test(name: str, score: float, max_score: float, passed: bool, output: str, tag: str, visibility: str) -> dict:
    return {"name": name, "name_format": "text", "score": _round(score), "max_score": _round(max_score),
            "status": "passed" if passed else "failed", "output": output, "output_format": "text",
            "tags": [tag], "visibility": visibility}


def _detail(report: dict, text: str) -> str:
    """``text`` in full feedback; pass/fail only in summary feedback."""
    return "Only pass or fail is reported for this assessment." if report.get("feedback") == "summary" else text


def _test_output(test: dict) -> str:
    parts = [f"status: {test['status']}"]
    for key, title in (("description", ""), ("message", ""), ("counterexample", "Counterexample:\n")):
        if test.get(key):
            parts.append(title + test[key])
    return "\n\n".join(parts)


def _check_output(check: dict) -> str:
    text = f"expected {check['expected']}, looks {check['measured']}: {check['verdict']}"
    if check.get("reason"):
        text += f" ({check['reason']})"
    if check.get("relative_slope") is not None:
        text += f"\nrelative slope: {check['relative_slope']:+.2f}"
    unit = "bytes" if check.get("kind") == "space" else "seconds"
    rows = zip(check.get("sizes") or [], check.get(f"candidate_{unit}") or [], check.get(f"reference_{unit}") or [])
    for size, mine, theirs in rows:
        text += f"\nn={size}: yours {_amount(mine, unit)}, reference {_amount(theirs, unit)}"
    return text


def _amount(value, unit: str) -> str:
    if value is None:
        return "-"
    return f"{value / 1024:,.1f} KiB" if unit == "bytes" else f"{value * 1000:,.3f} ms"


def _tests(report: dict) -> list[dict]:
    visibility = HIDDEN if report.get("feedback") == "none" else VISIBLE
    core = report["correctness"]["tests"]
    checks = report["complexity"]
    if report["verdict"] == "error" and not core:
        return [_test("grading", 0.0, float(report["max_score"]), False,
                      _detail(report, report.get("message", "") or "The submission could not be graded."),
                      "error", visibility)]
    correctness, complexity = split_points(report)
    weights = [float(test.get("weight", 1.0)) for test in core]
    total_weight = sum(weights) or 1.0
    # A rule breaker scores 0, so no test earns its points; complexity points
    # need every hidden test (the answers on large inputs among them) to pass.
    earns = not report["rules"]
    all_passed = all(test["status"] == "pass" for test in core)
    tests = []
    for test, weight in zip(core, weights):
        points = correctness * weight / total_weight
        passed = test["status"] == "pass"
        tests.append(_test(test["name"], points if passed and earns else 0.0, points, passed,
                           _detail(report, _test_output(test)), "correctness", visibility))
    for check in checks:
        points = complexity / len(checks)
        met = check["verdict"] != "slower"
        tests.append(_test(f"complexity: {check['operation']}", points if met and earns and all_passed else 0.0,
                           points, met, _detail(report, _check_output(check)), "complexity", visibility))
    if not checks and complexity > 0:
        tests.append(_test("complexity (not measured)", 0.0, complexity, False,
                           _detail(report, "The complexity checks run once every hidden test passes."),
                           "complexity", visibility))
    for test in report.get("bonus", {}).get("tests", []):
        tests.append(_test(test["name"], 0.0, 0.0, test["status"] == "pass",
                           _detail(report, _test_output(test)), "bonus", visibility))
    if report["rules"]:
        findings = "\n".join(f"{r['file']}:{r['line']}: {r['rule']}: {r['detail']}" for r in report["rules"])
        tests.append(_test("rules", 0.0, 0.0, False,
                           _detail(report, "The code breaks the challenge's rules:\n" + findings), "rules", visibility))
    return tests


def _snap(value: float, tolerance: float) -> float:
    whole = round(value)
    return float(whole) if abs(value - whole) <= tolerance + 1e-9 else value


def split_points(report: dict) -> tuple[float, float]:
    """(correctness points, complexity points): the report's ``max_score``
    split by the rules of the module docstring."""
    maximum, score = float(report["max_score"]), float(report["score"])
    if isinstance(report.get("points"), dict):
        points = report["points"]
        return float(points.get("correctness", maximum)), float(points.get("complexity", 0.0))
    core, checks = report["correctness"]["tests"], report["complexity"]
    weights = [float(test.get("weight", 1.0)) for test in core]
    total = sum(weights)
    passing = sum(w for test, w in zip(core, weights) if test["status"] == "pass")
    slower = sum(1 for check in checks if check["verdict"] == "slower")
    if checks and slower:
        multiple = len(checks) / slower
        complexity = _snap((maximum - score) * multiple, _ROUNDING * multiple)
    elif not checks and core and 0 < passing < total:
        multiple = total / passing
        complexity = maximum - _snap(score * multiple, _ROUNDING * multiple)
    elif core or checks:
        complexity = maximum * len(checks) / (len(core) + len(checks))
    else:
        complexity = 0.0
    complexity = min(max(complexity, 0.0), maximum)
    return maximum - complexity, complexity
