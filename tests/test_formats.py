"""Batch formats checked against their specifications: Gradescope's results
schema, a real JUnit XSD, GitHub's workflow-command grammar, and a
self-contained, escaped HTML page. Pure functions on hand-built reports:
nothing is graded here."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest

from grader.grading import _score, correctness_fraction
from grader.report.formats import BATCH_FORMATS, FILE_NAMES, to_github, to_junit
from grader.report.gradescope import split_points, to_gradescope
from grader.report.html import to_html
from grader.report.model import ComplexityResult, Report, RuleFinding
from grader.report.model import TestResult as Result

FIXTURES = Path(__file__).parent / "fixtures"
HOSTILE = "<script>alert('x')</script> & \"quotes\" </pre></td>"


# --- building reports ----------------------------------------------------------------------------

def check(operation: str, verdict: str, *, space: bool = False, measured: bool = True) -> ComplexityResult:
    """A complexity result shaped like grader.complexity.measure's."""
    unit = "bytes" if space else "seconds"
    if measured:
        candidate = [2e5, 3e7] if space else [0.0004, 0.09 if verdict == "slower" else 0.04]
        reference = [1e5, 1e7] if space else [0.0002, 0.02]
    else:
        candidate, reference = [None, None], [0.0002, 0.02]
    ratios = [None if c is None else c / r for c, r in zip(candidate, reference)]
    details = {"kind": "space" if space else "time", "axis": "n", "sizes": [1000, 100000],
               f"candidate_{unit}": candidate, f"reference_{unit}": reference, "ratios": ratios,
               "relative_slope": 0.7 if verdict == "slower" else 0.02 if measured else None,
               "reason": "grows faster than the reference" if verdict == "slower" else "grows like the reference"}
    return ComplexityResult(operation, "O(1)", "O(n)" if verdict == "slower" else "O(1)", verdict,
                            ratios[-1], details)


def make_report(tests=(), complexity=(), rules=(), *, correctness_points=80.0, complexity_points=20.0,
                verdict=None, message="", **extra) -> dict:
    """A contract report dict scored by the grader's own rule (grading._score)."""
    tests = tuple(Result(*t) if isinstance(t, tuple) else t for t in tests)
    core = [t for t in tests if not t.bonus]
    failed = [t for t in core if t.status != "pass"]
    challenge = SimpleNamespace(max_score=correctness_points + complexity_points,
                                correctness_points=correctness_points, complexity_points=complexity_points)
    # A rule breaker scores 0 (the contract); otherwise the grader's own rule.
    score = 0.0 if rules else _score(challenge, correctness_fraction(core), list(complexity), measured=not failed)
    if verdict is None:
        slower = any(c.verdict == "slower" for c in complexity)
        verdict = "pass" if not failed and not rules and not slower else "fail"
    report = Report(challenge="lru-cache", verdict=verdict, score=score, max_score=challenge.max_score,
                    tests=tests, complexity=tuple(complexity), rules=tuple(rules), timed_out=False,
                    memory_exceeded=False, sandbox="process", seed=0, submission_sha256="ab" * 32,
                    message=message, grader_version="0.1.0", duration_seconds=3.2).to_dict()
    report.update(extra)
    return report


PASSING = make_report([("get_returns_what_was_put", "pass"), ("evicts_least_recent", "pass"),
                       ("bonus_thread_safe", "fail", "not thread safe", "put(1) twice")],
                      [check("get", "meets"), check("put", "inconclusive"), check("memory", "meets", space=True)])
SLOWER = make_report([("get_returns_what_was_put", "pass"), ("evicts_least_recent", "pass")],
                     [check("get", "slower"), check("put", "meets")])
FAILING = make_report([("get_returns_what_was_put", "pass"),
                       ("evicts_least_recent", "fail", "expected 2, got 1", "cache = LRU(1); put(1, 1); put(2, 2)"),
                       ("capacity_is_respected", "timeout", "took over 2s"),
                       ("counts_hits", "pass")],
                      rules=[RuleFinding("forbidden-import", "functools.lru_cache", 3)])
FAILING_BY_TESTS = make_report([("get_returns_what_was_put", "pass"), ("evicts_least_recent", "fail", "expected 2"),
                                ("capacity_is_respected", "timeout", "took over 2s"), ("counts_hits", "pass")])
ERROR = make_report(verdict="error", message="solution.py line 3: syntax error: expected ':'")
NO_CHECKS = make_report([("a", "pass"), ("b", "pass")], correctness_points=100, complexity_points=0)
UNMEASURED = make_report([("a", "pass")], [check("get", "inconclusive", measured=False)])


# --- Gradescope ----------------------------------------------------------------------------------

# https://gradescope-autograders.readthedocs.io/en/latest/specs/ ("Output format"): every key is
# optional, but a score is required at the top level or on every test.
VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}
FORMATS = {"text", "simple_format", "html", "md", "ansi"}
NUMBER, TEXT, OBJECT = (int, float), (str,), (dict,)
TOP_KEYS = {"score": NUMBER, "execution_time": NUMBER, "output": TEXT, "output_format": FORMATS,
            "test_output_format": FORMATS, "test_name_format": FORMATS, "visibility": VISIBILITY,
            "stdout_visibility": VISIBILITY, "extra_data": OBJECT, "tests": (list,), "leaderboard": (list,)}
TEST_KEYS = {"score": NUMBER, "max_score": NUMBER, "status": {"passed", "failed"}, "name": TEXT,
             "name_format": FORMATS, "number": TEXT, "output": TEXT, "output_format": FORMATS, "tags": (list,),
             "visibility": VISIBILITY, "extra_data": OBJECT}
# What our writer always fills in, beyond the specification's minimum.
OUR_TOP_KEYS = {"score", "execution_time", "output", "visibility", "stdout_visibility", "tests"}
OUR_TEST_KEYS = {"name", "score", "max_score", "status", "output", "visibility"}


def _bad_value(value, allowed) -> bool:
    if isinstance(allowed, set):
        return value not in allowed
    if isinstance(value, bool):                     # JSON true/false are not numbers or strings
        return True
    return not isinstance(value, allowed)


def gradescope_problems(results) -> list[str]:
    """Everything in ``results`` the Gradescope specification does not allow."""
    if not isinstance(results, dict):
        return ["results is not an object"]
    problems = [f"unknown key {key!r}" for key in results if key not in TOP_KEYS]
    problems += [f"{key}={results[key]!r}" for key in TOP_KEYS if key in results and _bad_value(results[key],
                                                                                                 TOP_KEYS[key])]
    tests = results.get("tests", [])
    if "score" not in results and (not tests or any("score" not in t for t in tests if isinstance(t, dict))):
        problems.append("no top-level score and a test without one")
    for index, test in enumerate(tests if isinstance(tests, list) else []):
        if not isinstance(test, dict):
            problems.append(f"tests[{index}] is not an object")
            continue
        problems += [f"tests[{index}]: unknown key {key!r}" for key in test if key not in TEST_KEYS]
        problems += [f"tests[{index}].{key}={test[key]!r}" for key in TEST_KEYS
                     if key in test and _bad_value(test[key], TEST_KEYS[key])]
        if not all(isinstance(tag, str) for tag in test.get("tags", [])):
            problems.append(f"tests[{index}].tags holds a non-string")
        problems += [f"tests[{index}] lacks {key}" for key in sorted(OUR_TEST_KEYS - set(test))]
    problems += [f"lacks {key}" for key in sorted(OUR_TOP_KEYS - set(results))]
    return problems


def gradescope(*reports, labels=None) -> dict:
    labels = labels or [f"subs/s{i}" for i in range(len(reports))]
    return json.loads(to_gradescope(list(zip(labels, reports))))


def test_the_schema_check_rejects_what_the_spec_does_not_allow():
    good = {"score": 1, "tests": [{"name": "a", "score": 1, "max_score": 1, "status": "passed", "output": "",
                                   "visibility": "visible"}],
            "output": "", "visibility": "visible", "stdout_visibility": "hidden", "execution_time": 1}
    assert gradescope_problems(good) == []
    for broken in ({**good, "visibility": "shown"}, {**good, "score": "1"}, {**good, "max_score": 5},
                   {**good, "tests": [{**good["tests"][0], "status": "pass"}]},
                   {**good, "tests": [{**good["tests"][0], "output_format": "markdown"}]},
                   {**good, "tests": [{**good["tests"][0], "score": True}]}):
        assert gradescope_problems(broken), broken


@pytest.mark.parametrize("reports", [[PASSING], [SLOWER], [FAILING], [ERROR], [NO_CHECKS], [UNMEASURED],
                                     [PASSING, FAILING, ERROR],
                                     [dict(FAILING, feedback="none")], [dict(FAILING, feedback="summary")]])
def test_gradescope_results_follow_the_specification(reports):
    results = gradescope(*reports)
    assert gradescope_problems(results) == []
    assert results["visibility"] == "visible"
    assert results["output_format"] == results["test_output_format"] == results["test_name_format"] == "text"


@pytest.mark.parametrize("report", [PASSING, SLOWER, FAILING, NO_CHECKS, UNMEASURED],
                         ids=["passing", "slower", "failing", "no-checks", "unmeasured"])
def test_gradescope_test_scores_add_up_to_the_report_score(report):
    results = gradescope(report)
    assert results["score"] == report["score"]
    assert sum(t["score"] for t in results["tests"]) == pytest.approx(report["score"], abs=0.01)
    assert sum(t["max_score"] for t in results["tests"]) == pytest.approx(report["max_score"], abs=0.01)
    assert results["extra_data"]["max_score"] == report["max_score"]
    for test in results["tests"]:
        assert test["score"] == (test["max_score"] if test["status"] == "passed" else 0)


def test_gradescope_points_follow_the_challenge_split_when_the_report_pins_it_down():
    assert split_points(SLOWER) == (80, 20)          # one of two checks slower: 10 points lost
    assert split_points(FAILING_BY_TESTS) == (80, 20)   # two of four tests pass: 40 points earned
    failing = gradescope(FAILING_BY_TESTS)["tests"]
    names = [t["name"] for t in failing]
    assert names == ["get_returns_what_was_put", "evicts_least_recent", "capacity_is_respected", "counts_hits",
                     "complexity (not measured)"]
    assert [t["max_score"] for t in failing] == [20, 20, 20, 20, 20]
    assert [t["status"] for t in failing] == ["passed", "failed", "failed", "passed", "failed"]
    breaker = gradescope(FAILING)["tests"]
    assert breaker[-1]["name"] == "rules" and breaker[-1]["status"] == "failed"
    assert "expected 2, got 1" in breaker[1]["output"] and "put(2, 2)" in breaker[1]["output"]
    assert "functools.lru_cache" in breaker[-1]["output"]
    assert sum(t["score"] for t in breaker) == 0      # a rule breaker scores 0


def test_gradescope_uses_the_points_and_weights_a_report_carries():
    report = make_report([("a", "pass", "", "", 3.0), ("b", "fail", "no", "", 1.0)])     # 80 * 3/4
    assert report["score"] == 60
    weighed = dict(report, points={"correctness": 80, "complexity": 20})
    weighed["correctness"] = dict(report["correctness"], tests=[dict(t, weight=w) for t, w in
                                                                 zip(report["correctness"]["tests"], (3, 1))])
    tests = gradescope(weighed)["tests"]
    assert [(t["name"], t["score"], t["max_score"]) for t in tests] == [
        ("a", 60, 60), ("b", 0, 20), ("complexity (not measured)", 0, 20)]
    # Without them the split is read off the numbers as if the tests weighed the same: the per-test
    # points are then approximate, and the top-level score is still the report's.
    unweighed = gradescope(report)
    assert unweighed["score"] == 60 and gradescope_problems(unweighed) == []


def test_gradescope_complexity_checks_and_bonus_tests_are_tests():
    tests = {t["name"]: t for t in gradescope(PASSING)["tests"]}
    assert tests["complexity: get"]["status"] == "passed" and tests["complexity: get"]["tags"] == ["complexity"]
    assert tests["complexity: put"]["status"] == "passed"            # inconclusive earns its points
    assert "expected O(1)" in tests["complexity: memory"]["output"]
    bonus = tests["bonus_thread_safe"]
    assert (bonus["score"], bonus["max_score"], bonus["status"], bonus["tags"]) == (0, 0, "failed", ["bonus"])
    slower = {t["name"]: t for t in gradescope(SLOWER)["tests"]}["complexity: get"]
    assert slower["status"] == "failed" and slower["score"] == 0 and "grows faster" in slower["output"]


def test_gradescope_an_ungradable_submission_is_one_failed_grading_test():
    results = gradescope(ERROR)
    assert results["score"] == 0
    [test] = results["tests"]
    assert (test["name"], test["status"], test["score"], test["max_score"]) == ("grading", "failed", 0, 100)
    assert "syntax error" in test["output"] and "syntax error" in results["output"]


def test_gradescope_feedback_none_hides_the_tests_and_summary_their_details():
    hidden = gradescope(dict(FAILING, feedback="none"))
    assert hidden["visibility"] == "visible" and "score 0/100" in hidden["output"]   # a rule breaker
    assert {t["visibility"] for t in hidden["tests"]} == {"hidden"}
    summary = gradescope(dict(FAILING, feedback="summary"))
    assert {t["visibility"] for t in summary["tests"]} == {"visible"}
    assert not any("put(2, 2)" in t["output"] or "expected 2" in t["output"] for t in summary["tests"])
    assert [t["status"] for t in summary["tests"]] == [t["status"] for t in hidden["tests"]]
    assert {t["visibility"] for t in gradescope(dict(FAILING, feedback="full"))["tests"]} == {"visible"}


def test_gradescope_and_html_take_reports_redacted_by_the_feedback_levels():
    feedback = pytest.importorskip("grader.report.feedback")
    for report in (PASSING, SLOWER, FAILING, ERROR):
        summary, none = feedback.redact(report, "summary"), feedback.redact(report, "none")
        shown, hidden = gradescope(summary), gradescope(none)
        assert gradescope_problems(shown) == [] and gradescope_problems(hidden) == []
        assert shown["score"] == hidden["score"] == report["score"]
        assert [(t["name"], t["status"]) for t in shown["tests"]] == \
            [(t["name"], t["status"]) for t in gradescope(report)["tests"]]
        assert {t["visibility"] for t in shown["tests"]} <= {"visible"}
        assert {t["visibility"] for t in hidden["tests"]} <= {"hidden"}
        for redacted in (summary, none):
            parser = parse(to_html([("x", redacted)]))
            assert parser.problems == [] and parser.loads == []


def test_gradescope_several_submissions_make_one_object_with_prefixed_tests():
    results = gradescope(PASSING, FAILING, labels=["alice", "bob"])
    assert results["score"] == pytest.approx(PASSING["score"] + FAILING["score"])
    assert results["extra_data"]["max_score"] == 200
    assert [s["submission"] for s in results["extra_data"]["submissions"]] == ["alice", "bob"]
    assert all(t["name"].startswith(("alice: ", "bob: ")) for t in results["tests"])
    assert results["tests"][0]["number"] == "1.1" and results["tests"][-1]["number"].startswith("2.")
    assert "alice: lru-cache: PASS" in results["output"] and "bob: lru-cache: FAIL" in results["output"]


def test_gradescope_output_is_plain_text_and_valid_json_whatever_the_submission_wrote():
    report = make_report([("a", "fail", HOSTILE + "\x00\x1b[31m", "\ud800 \n" + HOSTILE)])
    results = json.loads(to_gradescope([(HOSTILE, report)]))
    assert gradescope_problems(results) == []
    assert HOSTILE in results["tests"][0]["output"]                  # kept, shown as text, never rendered


# --- HTML ----------------------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class StrictParser(HTMLParser):
    """Records every problem: unbalanced or misnested tags, and what would load."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.problems, self.tags, self.loads = [], [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._check_attrs(tag, attrs)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)
        self._check_attrs(tag, attrs)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def _check_attrs(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "srcset", "data", "poster", "background", "action", "formaction", "xlink:href"):
                self.loads.append(f"<{tag} {name}={value!r}>")
            if name == "href" and not (value or "").startswith("#"):
                self.loads.append(f"<{tag} href={value!r}>")
            if name.startswith("on"):
                self.loads.append(f"<{tag} {name}> (an event handler)")

    def close(self):
        super().close()
        if self.stack:
            self.problems.append(f"unclosed {self.stack}")


def parse(page: str) -> StrictParser:
    parser = StrictParser()
    parser.feed(page)
    parser.close()
    return parser


ALL = [("subs/alice", PASSING), ("subs/bob", FAILING), ("subs/carol", ERROR), ("subs/dave", SLOWER),
       ("subs/erin", UNMEASURED)]


def test_html_is_one_well_formed_page():
    page = to_html(ALL)
    parser = parse(page)
    assert parser.problems == []
    assert page.startswith("<!DOCTYPE html>") and parser.tags[:1] == ["html"]
    assert parser.tags.count("section") == len(ALL)


def test_html_loads_nothing_from_anywhere():
    page = to_html(ALL)
    parser = parse(page)
    assert parser.loads == []
    assert "script" not in parser.tags and "link" not in parser.tags and "iframe" not in parser.tags
    assert "http://" not in page and "https://" not in page
    assert "url(" not in page and "@import" not in page


def test_html_escapes_what_the_submission_wrote():
    hostile = make_report([("a", "fail", HOSTILE, HOSTILE)], message=HOSTILE, output=HOSTILE,
                          rules=[RuleFinding("forbidden-name", HOSTILE, 1, file=HOSTILE)])
    page = to_html([(HOSTILE, hostile)])
    parser = parse(page)
    assert parser.problems == [] and parser.loads == [] and "script" not in parser.tags
    assert "<script>" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_html_has_a_chart_per_measured_complexity_check():
    page = to_html([("subs/alice", PASSING), ("subs/dave", SLOWER)])     # 3 + 2 measured checks
    assert page.count("<svg") == 5
    assert page.count("<polyline") == 2 * 5                  # yours and the reference's, each with a legend
    assert page.count("<circle") == 5 * 2 + 5 and page.count(">yours</text>") == 5
    # a check the candidate could not be measured on: the reference alone, and "-" in the table
    unmeasured = to_html([("x", UNMEASURED)])
    assert unmeasured.count("<svg") == 1 and unmeasured.count("<polyline") == 1 and ">-</td>" in unmeasured
    assert unmeasured.count("(not measured)") == 1
    # no numbers at all (an entry without the measurement keys): no chart, and it says so
    bare = make_report([("a", "pass")], [ComplexityResult("get", "O(1)", "?", "inconclusive", None)])
    assert to_html([("x", bare)]).count("<svg") == 0 and "No measurements in the report." in to_html([("x", bare)])


def test_html_shows_verdicts_as_words_and_links_the_summary_to_each_section():
    page = to_html(ALL)
    for word in ("pass", "fail", "error", "meets", "slower", "inconclusive", "timeout"):
        assert f">{word}</span>" in page
    parser = parse(page)
    assert parser.problems == []
    for index in range(1, len(ALL) + 1):
        assert f'href="#submission-{index}"' in page and f'id="submission-{index}"' in page
    assert "cache = LRU(1); put(1, 1); put(2, 2)</pre>" in page and "functools.lru_cache" in page


# --- JUnit ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def junit_schema():
    xmlschema = pytest.importorskip("xmlschema")
    return xmlschema.XMLSchema(str(FIXTURES / "junit.xsd"))


def test_junit_validates_against_the_jenkins_junit_schema(junit_schema):
    hostile = make_report([("a", "fail", HOSTILE + "\x00", "\x1b[31m" + HOSTILE + "\ud800")])
    items = [label_report for label_report in ALL] + [(HOSTILE, hostile)]
    xml = to_junit(items)
    errors = [f"{error.path}: {error.reason}" for error in junit_schema.iter_errors(xml)]
    assert errors == []
    assert junit_schema.is_valid(to_junit([]))


# --- GitHub --------------------------------------------------------------------------------------

PROPERTY = r"(?:[^%,:\r\n]|%25|%0D|%0A|%3A|%2C)*"
DATA = r"(?:[^%\r\n]|%25|%0D|%0A)*"
WORKFLOW_COMMAND = re.compile(rf"::error file=(?P<file>{PROPERTY}),line=(?P<line>[1-9]\d*),"
                              rf"title=(?P<title>{PROPERTY})::(?P<message>{DATA})")


def _unescape(text: str) -> str:
    for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, raw)
    return text


def test_github_annotations_match_the_workflow_command_grammar():
    awkward = make_report([("100%: a,b", "fail", "50% off\r\nline two: x, y", "f('%0A')")],
                          [check("get", "slower")], rules=[RuleFinding("forbidden-call", "eval, exec: no", 7,
                                                                       file="util,s:1.py")])
    items = [("subs/alice", PASSING), ("subs/bob", FAILING), ("subs/carol", ERROR),
             ("team a,b:c%/x", awkward)]
    output = to_github(items)
    assert output.endswith("\n")
    lines = output[:-1].split("\n")
    assert len(lines) == 3 + 1 + 3             # bob: 2 tests and a rule; carol: cannot be graded; awkward: 3
    parsed = []
    for line in lines:
        match = WORKFLOW_COMMAND.fullmatch(line)
        assert match, line
        parsed.append({key: _unescape(value) for key, value in match.groupdict().items()})
    awkward_test, awkward_check, awkward_rule = parsed[-3:]
    assert awkward_test["file"] == "team a,b:c%/x/solution.py"
    assert awkward_test["title"] == "lru-cache: 100%: a,b (fail)"
    assert awkward_test["message"] == "50% off\r\nline two: x, y\nf('%0A')"
    assert awkward_check["title"] == "lru-cache: get is slower than O(1)"
    assert (awkward_rule["file"], awkward_rule["line"]) == ("team a,b:c%/x/util,s:1.py", "7")
    assert parsed[3]["line"] == "3" and "syntax error" in parsed[3]["message"]     # carol's syntax error


# --- registration --------------------------------------------------------------------------------

def test_the_new_formats_are_registered_with_their_files():
    assert BATCH_FORMATS["gradescope"] is to_gradescope and FILE_NAMES["gradescope"] == "results.json"
    assert BATCH_FORMATS["html"] is to_html and FILE_NAMES["html"] == "report.html"
    assert gradescope_problems(json.loads(to_gradescope([]))) == [] and parse(to_html([])).problems == []
