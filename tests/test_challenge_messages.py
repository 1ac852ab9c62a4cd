"""The built-in challenges, end to end: a correct solution written another
way passes, and a failure gives its reason in the candidate's terms, under
the test whose name fits it or quoting the sentence of the contract it
breaks (issue 13 item 11)."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.catalog import Catalog
from grader.grading import GradeOptions, grade
from grader.sandbox.process import ProcessBackend

BUILTIN = Catalog()
QUICK = GradeOptions(seed=0, max_examples=10, complexity=False)
REFERENCE = Path(__file__).parents[1] / "reference"
TIMER_SOLUTIONS = Path(__file__).parent / "fixtures" / "submissions" / "timer-decorator"


def _grade(write_submission, slug: str, source: str, backend=None) -> dict:
    return grade(write_submission(source), BUILTIN.get(slug), backend or ProcessBackend(), QUICK).to_dict()


def _mutant(write_submission, slug: str, name: str) -> dict:
    return _grade(write_submission, slug, (REFERENCE / slug / "mutants" / f"{name}.py").read_text(encoding="utf-8"))


def _failing(report: dict) -> dict[str, dict]:
    return {t["name"]: t for t in report["correctness"]["tests"] if t["status"] != "pass"}


@pytest.mark.parametrize("name", ["timeit_default_timer", "perf_counter_alias", "clock_as_default_argument"])
def test_every_way_of_calling_the_real_perf_counter_reads_the_fake_clock(write_submission, backend, name):
    """timeit.default_timer is time.perf_counter; so is a name for it taken at import."""
    report = _grade(write_submission, "timer-decorator", (TIMER_SOLUTIONS / f"{name}.py").read_text(), backend)
    assert {n: t["message"] for n, t in _failing(report).items()} == {}
    assert report["verdict"] == "pass"


def test_a_timer_failure_gives_its_reason_and_not_the_probes_report(write_submission):
    failing = _failing(_mutant(write_submission, "timer-decorator", "no_functools_wraps"))
    test = failing["preserves_metadata_and_sets_wrapped"]
    assert test["message"] == ("the wrapper did not keep the function's __name__ ('wrapper' instead of "
                               "'_probe_add'); functools.wraps(func) copies it")
    assert test["counterexample"] == f"wrapper = timer(_probe_add) -> {test['message']}"


def test_a_timer_wrapper_that_raises_is_told_so_before_what_it_did_not_log(write_submission):
    """drops_kwargs raises TypeError before reading the clock: that comes
    first, before "time.perf_counter() was never called"."""
    failing = _failing(_mutant(write_submission, "timer-decorator", "drops_kwargs"))
    for test in failing.values():
        assert "clock readings" not in test["message"] and "'metadata'" not in test["message"]
        assert test["message"].startswith("the wrapper raised "), test
    assert "time.perf_counter() was never called" in failing["timing_uses_perf_counter"]["message"]
