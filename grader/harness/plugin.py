"""The pytest plugin that hands hidden tests the ``candidate`` and turns
their outcomes into ``TestResult`` records (never showing test source)."""

from __future__ import annotations

import types

import pytest

from grader.constants import MAX_MESSAGE_CHARS
from grader.harness.program import Mismatch
from grader.harness.session import CandidateAbort
from grader.report.model import TestResult


def _find(exc: BaseException, kind: type) -> BaseException | None:
    """``exc`` or an exception nested in it (groups, Flaky, causes) of ``kind``."""
    stack, seen = [exc], set()
    while stack:
        item = stack.pop()
        if item is None or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, kind):
            return item
        stack.extend(getattr(item, "exceptions", ()) or ())
        stack.append(item.__cause__)
        stack.append(item.__context__)
    return None


def classify(exc: BaseException) -> tuple[str, str, str]:
    """(status, message, counterexample) for a test that did not pass."""
    abort = _find(exc, CandidateAbort)
    if abort is not None:
        return abort.status, abort.message, abort.transcript
    mismatch = _find(exc, Mismatch)
    if mismatch is not None:
        message = mismatch.reason
        if type(exc).__name__ in ("Flaky", "FlakyFailure", "FlakyReplay"):
            message += " (the submission did not behave the same way every time on this input)"
        return "fail", message, mismatch.transcript
    if type(exc).__name__.startswith("Flaky"):
        return "fail", "the submission did not behave the same way every time on the same input", ""
    return "error", f"internal error in a hidden test: {type(exc).__name__}: {exc}"[:MAX_MESSAGE_CHARS], ""


def _describe(item) -> str:
    """The docstring's first paragraph on one line: a sentence of the
    contract may wrap over several lines of source."""
    doc = getattr(getattr(item, "obj", None), "__doc__", None) or ""
    return " ".join(doc.strip().split("\n\n")[0].split())


class HarnessPlugin:
    def __init__(self, candidate):
        self.results: list[TestResult] = []
        self.collection_errors: list[str] = []

        # Fixtures as methods are being retired by pytest: the fixture lives in a
        # small module registered as a second plugin next to this one.
        @pytest.fixture(scope="session", name="candidate")
        def candidate_fixture():
            return candidate

        self.fixtures = types.ModuleType("grader_hidden_test_fixtures")
        self.fixtures.candidate = candidate_fixture

    def pytest_collectreport(self, report):
        if report.failed:
            self.collection_errors.append(f"{report.nodeid}: {report.longreprtext[-1500:]}")

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        name = item.name[5:] if item.name.startswith("test_") else item.name
        # pytest times each phase on this host around the test's calls into the
        # sandbox: nothing the sandbox says goes into it.
        if report.when == "call" and report.passed:
            self.results.append(TestResult(name=name, status="pass", description=_describe(item),
                                           duration_seconds=call.duration))
        elif report.failed and call.excinfo is not None:
            status, message, counterexample = classify(call.excinfo.value)
            self.results.append(TestResult(name=name, status=status, message=message,
                                           counterexample=counterexample, description=_describe(item),
                                           duration_seconds=call.duration))
