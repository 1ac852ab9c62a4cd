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


@pytest.mark.parametrize("slug, mutant, test", [
    ("pair-sum", "skips_values_above_target", "arr_is_not_modified"),
    ("flatten", "drops_falsy_items", "input_is_not_modified"),
])
def test_a_wrong_answer_does_not_fail_the_test_that_the_input_is_not_modified(write_submission, slug, mutant, test):
    failing = _failing(_mutant(write_submission, slug, mutant))
    assert failing and test not in failing


@pytest.mark.parametrize("slug, mutant", [("pair-sum", "sorts_arr_in_place"), ("flatten", "consumes_input")])
def test_modifying_the_input_still_fails_that_test(write_submission, slug, mutant):
    test = "arr_is_not_modified" if slug == "pair-sum" else "input_is_not_modified"
    assert _failing(_mutant(write_submission, slug, mutant))[test]["message"].startswith("changed its ")


@pytest.mark.parametrize("slug, mutant, test, message", [
    ("pair-sum", "falsy_target_returns_empty", "a_pair_of_equal_values_needs_two_occurrences",
     "returned [], expected [(0, 0)] (in any order); (0, 0) is missing (contract: 'Returns every distinct pair of "
     "values (a, b) with a <= b and a + b == target, where a and b sit at two different positions of arr.')"),
    ("pair-sum", "self_pair_from_one_occurrence", "pairs_are_tuples_with_a_le_b",
     "returned [(0, 2), (1, 1)], expected [(0, 2)] (in any order); (1, 1) is listed, but 1 appears only once in "
     "arr (contract: '(a, a) needs a to appear at least twice.')"),
    ("trie", "ascii_lowercase_array", "the_empty_word_may_be_inserted_and_searched",
     "raised IndexError('list index out of range') at solution.py line 16, expected no exception "
     "(contract: 'Words are any Python strings (any Unicode).')"),
    ("min-heap", "extract_min_no_sift_down", "len_is_the_number_of_values_held",
     "returned 1, expected 0 (contract: 'extract_min removes and returns the smallest value; peek returns it "
     "without removing.')"),
    ("two-stack-queue", "lifo_order", "len_is_the_number_of_items",
     "returned 1, expected 0 (contract: 'First in, first out. dequeue removes and returns the oldest item; peek "
     "returns it without removing.')"),
    ("linked-list-cycle", "removes_the_cycle", "tail_linking_to_itself_is_a_cycle_of_length_one",
     "node 0's next is now None, it was the node at position 0 (contract: 'The list is not modified (every next "
     "and val is as before when the call returns).')"),
])
def test_a_failure_its_test_is_not_named_for_quotes_the_sentence_it_breaks(write_submission, slug, mutant, test,
                                                                            message):
    """e.g. the trie's empty-word test failing on insert('A'), which is not the empty word."""
    assert _failing(_mutant(write_submission, slug, mutant))[test]["message"] == message
