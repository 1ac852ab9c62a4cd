"""Take-home assessments: grader.toml validation, limits, feedback levels,
weighted totals and the candidate's kit."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from grader.assessment import Assessment, locate
from grader.catalog import Catalog
from grader.errors import AssessmentError
from grader.report.feedback import WITHHELD, redact, redact_report
from grader.report.model import ComplexityResult, Report, RuleFinding
from grader.report.model import TestResult as Result
from tests.conftest import FIXTURE_CHALLENGES

ROOT = Path(__file__).resolve().parents[1]
CORRECT = ROOT / "tests" / "fixtures" / "reference" / "adder" / "solution.py"
WRONG = ROOT / "tests" / "fixtures" / "reference" / "adder" / "mutants" / "subtracts.py"
CONTRACT_KEYS = ("schema", "challenge", "verdict", "score", "max_score", "correctness", "complexity", "rules",
                 "limits", "sandbox", "seed", "submission_sha256")
FAST = ("--sandbox", "process", "--no-complexity")

ADDER_ASSESSMENT = """\
[assessment]
name = "Fixture take-home"
feedback = "summary"
seed = 5

[challenges.adder]
weight = 2
memory_mb = 300
call_timeout = 3
"""


def grader(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {name: value for name, value in os.environ.items() if name != "GRADER_SIGNING_KEY"}
    full_env.update(NO_COLOR="1", **(env or {}))
    return subprocess.run([sys.executable, "-m", "grader", "--challenges-dir", str(FIXTURE_CHALLENGES), *args],
                          capture_output=True, text=True, cwd=cwd or ROOT, env=full_env, timeout=180)


def candidate_folder(root: Path, name: str, source: Path, slug: str = "adder") -> Path:
    folder = root / name / slug
    folder.mkdir(parents=True)
    (folder / "solution.py").write_bytes(source.read_bytes())
    return folder


@pytest.fixture
def catalog() -> Catalog:
    return Catalog([FIXTURE_CHALLENGES])


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- validation ------------------------------------------------------------------------------------------------

HEADER = '[assessment]\nname = "x"\n'

INVALID = {
    "toml syntax": ('[assessment]\nname = "x"\nfeedback = summary\n[challenges.adder]\n',
                    ["not valid TOML", "line 3"]),
    "duplicate table": (HEADER + "[challenges.adder]\n[challenges.adder]\n", ["not valid TOML", "line 4"]),
    "unknown top-level key": (HEADER + "[challenges.adder]\n[assesment]\n", ["unknown key 'assesment'", "top level"]),
    "unknown assessment key": ('[assessment]\nname = "x"\nfeedbak = "full"\n[challenges.adder]\n',
                               ["unknown key 'feedbak'", "[assessment]", "name, feedback, seed"]),
    "unknown challenge key": (HEADER + "[challenges.adder]\nwieght = 2\n",
                              ["unknown key 'wieght'", "[challenges.adder]", "weight, time_limit"]),
    "unknown challenge": (HEADER + "[challenges.no-such-thing]\n",
                          ["'no-such-thing', which does not exist", "adder", "grader list"]),
    "no assessment table": ("[challenges.adder]\n", ["has no [assessment] table"]),
    "assessment not a table": ('assessment = "x"\n[challenges.adder]\n', ["not a table"]),
    "no name": ('[assessment]\nfeedback = "full"\n[challenges.adder]\n', ["has no name", 'name = "Backend']),
    "empty name": ('[assessment]\nname = " "\n[challenges.adder]\n', ["not a non-empty string"]),
    "name not a string": ('[assessment]\nname = 3\n[challenges.adder]\n', ["not a non-empty string"]),
    "bad feedback": ('[assessment]\nname = "x"\nfeedback = "verbose"\n[challenges.adder]\n',
                     ["feedback = 'verbose'", '"full"', '"summary"', '"none"']),
    "seed not an integer": ('[assessment]\nname = "x"\nseed = "7"\n[challenges.adder]\n', ["seed = '7'", "whole number"]),
    "seed a boolean": ('[assessment]\nname = "x"\nseed = true\n[challenges.adder]\n', ["seed = True"]),
    "hints not a boolean": ('[assessment]\nname = "x"\nhints = "no"\n[challenges.adder]\n',
                            ["hints = 'no'", "true or false"]),
    "no challenges": (HEADER, ["lists no challenges", "[challenges.lru-cache]"]),
    "empty challenges": (HEADER + "[challenges]\n", ["lists no challenges"]),
    "challenge not a table": (HEADER + "[challenges]\nadder = 2\n", ["challenges.adder = 2", "not a table"]),
    "weight a string": (HEADER + '[challenges.adder]\nweight = "2"\n', ["weight = '2'", "not a number"]),
    "weight a boolean": (HEADER + "[challenges.adder]\nweight = true\n", ["weight = True", "not a number"]),
    "weight zero": (HEADER + "[challenges.adder]\nweight = 0\n", ["weight = 0", "not greater than 0"]),
    "negative time limit": (HEADER + "[challenges.adder]\ntime_limit = -1\n", ["time_limit = -1", "greater than 0"]),
    "zero call timeout": (HEADER + "[challenges.adder]\ncall_timeout = 0.0\n", ["call_timeout = 0.0"]),
    "infinite time limit": (HEADER + "[challenges.adder]\ntime_limit = inf\n", ["time_limit = inf"]),
    "memory not whole": (HEADER + "[challenges.adder]\nmemory_mb = 1.5\n", ["memory_mb = 1.5", "whole number"]),
    "memory zero": (HEADER + "[challenges.adder]\nmemory_mb = 0\n", ["memory_mb = 0", "greater than 0"]),
}


@pytest.mark.parametrize("text, expected", list(INVALID.values()), ids=list(INVALID))
def test_every_problem_in_the_file_is_a_usage_error_that_says_what_to_fix(tmp_path, catalog, text, expected):
    path = write(tmp_path / "grader.toml", text)
    with pytest.raises(AssessmentError) as raised:
        Assessment.load(path, catalog)
    message = str(raised.value)
    assert raised.value.exit_code == 2
    assert str(path) in message and "\n" not in message       # one paragraph, naming the file
    for part in expected:
        assert part in message


def test_unreadable_files_are_usage_errors(tmp_path, catalog):
    with pytest.raises(AssessmentError, match="does not exist"):
        Assessment.load(tmp_path / "missing.toml", catalog)
    with pytest.raises(AssessmentError, match="is a folder"):
        Assessment.load(tmp_path, catalog)
    (tmp_path / "latin1.toml").write_bytes(b'[assessment]\nname = "caf\xe9"\n')
    with pytest.raises(AssessmentError, match="not valid UTF-8 \\(bad byte at line 2\\)"):
        Assessment.load(tmp_path / "latin1.toml", catalog)


def test_a_broken_assessment_found_above_the_submission_stops_the_cli_with_exit_2(tmp_path):
    folder = candidate_folder(tmp_path, "alice", CORRECT)
    write(tmp_path / "alice" / "grader.toml", HEADER + "[challenges.adder]\nweight = -2\n")
    result = grader("submit", str(folder), *FAST)
    assert result.returncode == 2
    assert "weight = -2" in result.stderr and "Traceback" not in result.stderr


def test_a_valid_file_gives_defaults_limits_and_a_hash(tmp_path, catalog):
    path = write(tmp_path / "grader.toml", ADDER_ASSESSMENT + "[challenges.lru-cache]\ntime_limit = 120\n")
    assessment = Assessment.load(path, catalog)
    assert assessment.name == "Fixture take-home" and assessment.feedback == "summary" and assessment.seed == 5
    assert assessment.slugs == ["adder", "lru-cache"]
    assert assessment.weight("adder") == 2.0 and assessment.weight("lru-cache") == 1.0
    import hashlib
    assert assessment.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()

    adder = assessment.challenge("adder")
    original = catalog.get("adder")
    assert adder.limits.memory_mb == 300 and adder.limits.call_timeout == 3.0
    assert adder.limits.total_timeout == original.limits.total_timeout     # not set: the challenge's own
    assert adder.content_sha256() == original.content_sha256()            # the same hidden tests
    lru = assessment.challenge("lru-cache")
    assert lru.limits.total_timeout == 120.0 and lru.limits.cpu_seconds >= 120   # the CPU rlimit follows

    default = Assessment.load(write(tmp_path / "d" / "grader.toml", HEADER + "[challenges.adder]\n"), catalog)
    assert default.feedback == "full" and default.seed is None and default.weight("adder") == 1.0
    assert default.challenge("adder") == catalog.get("adder")


def test_a_challenge_the_assessment_does_not_list_is_a_usage_error_naming_the_listed_ones(tmp_path, catalog):
    assessment = Assessment.load(write(tmp_path / "grader.toml", ADDER_ASSESSMENT), catalog)
    with pytest.raises(AssessmentError) as raised:
        assessment.challenge("lru-cache")
    assert "'lru-cache' is not part of the assessment" in str(raised.value) and "lists adder" in str(raised.value)


def test_find_takes_the_nearest_grader_toml_above_the_submission(tmp_path):
    submission = tmp_path / "a" / "b" / "c"
    submission.mkdir(parents=True)
    (submission / "solution.py").write_text("x = 1\n")
    assert Assessment.find(submission) is None
    outer = write(tmp_path / "a" / "grader.toml", ADDER_ASSESSMENT)
    assert Assessment.find(submission) == outer.resolve()
    assert Assessment.find(submission / "solution.py") == outer.resolve()
    inner = write(tmp_path / "a" / "b" / "grader.toml", ADDER_ASSESSMENT)
    assert Assessment.find(submission) == inner.resolve()
    write(tmp_path / "a" / "b" / "c" / ".grader.toml", 'challenge = "adder"\n')   # the marker is not it
    assert Assessment.find(submission) == inner.resolve()


def test_paths_under_different_assessments_need_an_explicit_one(tmp_path, catalog):
    write(tmp_path / "one" / "grader.toml", ADDER_ASSESSMENT)
    write(tmp_path / "two" / "grader.toml", ADDER_ASSESSMENT.replace("Fixture", "Other"))
    with pytest.raises(AssessmentError, match="different assessments"):
        locate(catalog, None, [tmp_path / "one", tmp_path / "two"])
    explicit = locate(catalog, tmp_path / "one" / "grader.toml", [tmp_path / "one", tmp_path / "two"])
    assert explicit.name == "Fixture take-home"


# --- submit and test under an assessment -----------------------------------------------------------------------

def test_submit_applies_the_assessments_limits_seed_and_records_it(tmp_path):
    folder = candidate_folder(tmp_path, "alice", CORRECT)
    toml = write(tmp_path / "alice" / "grader.toml", ADDER_ASSESSMENT)
    result = grader("submit", str(folder), "--format", "json", "--feedback", "full", *FAST)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert "address space 300 MiB" in " ".join(report["protections"])     # memory_mb reached the sandbox
    assert report["seed"] == 5
    import hashlib
    assert report["assessment"] == {"name": "Fixture take-home", "weight": 2.0,
                                    "sha256": hashlib.sha256(toml.read_bytes()).hexdigest()}
    assert "feedback" not in report                                        # full: unchanged
    assert 'Assessment "Fixture take-home"' in result.stderr

    explicit_seed = grader("submit", str(folder), "--format", "json", "--seed", "0", *FAST)
    assert json.loads(explicit_seed.stdout)["seed"] == 0                   # --seed wins over the file


def test_explicit_assessment_option_and_an_unlisted_challenge(tmp_path):
    folder = candidate_folder(tmp_path, "alice", CORRECT)
    other = write(tmp_path / "elsewhere" / "grader.toml", HEADER + "[challenges.lru-cache]\n")
    result = grader("submit", str(folder), "--assessment", str(other), *FAST)
    assert result.returncode == 2
    assert "'adder' is not part of the assessment" in result.stderr and "lists lru-cache" in result.stderr
    ok = grader("submit", str(folder), "--assessment", str(write(tmp_path / "a.toml", ADDER_ASSESSMENT)),
                "--format", "json", *FAST)
    assert ok.returncode == 0 and json.loads(ok.stdout)["assessment"]["name"] == "Fixture take-home"


@pytest.mark.parametrize("level", ["full", "summary", "none"])
def test_each_feedback_level_in_json(tmp_path, level):
    folder = candidate_folder(tmp_path, "bob", WRONG)
    write(tmp_path / "bob" / "grader.toml", ADDER_ASSESSMENT.replace('"summary"', f'"{level}"'))
    result = grader("submit", str(folder), "--format", "json", *FAST)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    for key in CONTRACT_KEYS:
        assert key in report
    assert report["verdict"] == "fail" and report["score"] == 25.0 and report["submission_sha256"]
    tests = {t["name"]: t for t in report["correctness"]["tests"]}
    if level == "full":
        assert "feedback" not in report
        assert "add(0, 1)" in tests["adds_two_integers"]["counterexample"]
    elif level == "summary":
        assert report["feedback"] == "summary"
        assert {name: t["status"] for name, t in tests.items()} == {"adds_two_integers": "fail",
                                                                   "counter_counts": "pass"}
        assert all(t["message"] == t["counterexample"] == t["description"] == "" for t in tests.values())
        assert report["correctness"]["failed"] == 1 and report["output"] == ""
        assert "1 of 2 hidden tests do not pass" in report["message"]
    else:
        assert report["feedback"] == "none" and report["message"] == WITHHELD
        assert report["correctness"] == {"passed": 0, "failed": 0, "tests": []}
        assert report["complexity"] == [] and report["rules"] == [] and report["output"] == ""
        assert report["limits"] == {"timed_out": False, "memory_exceeded": False}
        assert "add(" not in result.stdout


def test_feedback_levels_in_text_and_the_override(tmp_path):
    folder = candidate_folder(tmp_path, "bob", WRONG)
    write(tmp_path / "bob" / "grader.toml", ADDER_ASSESSMENT)       # summary
    summary = grader("test", *FAST, cwd=folder)                      # found from the current folder
    assert summary.returncode == 1
    assert "adds_two_integers" in summary.stdout and "fail" in summary.stdout
    assert "add(0, 1)" not in summary.stdout and "expected" not in summary.stdout
    assert "Feedback level: summary" in summary.stdout

    none = grader("submit", ".", "--feedback", "none", *FAST, cwd=folder)
    assert none.returncode == 1 and "FAIL" in none.stdout and "25.0/100" in none.stdout
    assert "adds_two_integers" not in none.stdout and "Feedback level none" in none.stdout

    full = grader("submit", ".", "--feedback", "full", *FAST, cwd=folder)
    assert "add(0, 1) -> returned -1, expected 1" in full.stdout

    out = tmp_path / "report.txt"
    written = grader("submit", ".", "--format", "text", "--output", str(out), *FAST, cwd=folder)
    assert written.returncode == 1 and "add(0, 1)" not in out.read_text() and "adds_two_integers" in out.read_text()


def _sample_report() -> Report:
    return Report(
        challenge="lru-cache", verdict="fail", score=40.0, max_score=100.0,
        tests=(Result("evicts", "fail", "returned 1, expected -1", "c = LRUCache(1); ...", 2.0, "evicts lru"),
               Result("gets", "pass", description="get works"),
               Result("bonus_async", "error", "boom", "await x", 1.0, "async")),
        complexity=(ComplexityResult("put", "O(1)", "O(n)", "slower", 14.2,
                                     {"sizes": [1, 2], "candidate_seconds": [0.1, 0.2], "reason": "grows"}),),
        rules=(RuleFinding("forbidden-import", "imports collections.OrderedDict", 3),),
        timed_out=True, memory_exceeded=False, sandbox="process", seed=4, submission_sha256="ab" * 32,
        message="1 of 2 hidden tests do not pass.", protections=("p",), output="printed secrets",
        grader_version="0.1.0", challenge_version=1, challenge_sha256="cd" * 32, duration_seconds=1.5,
        stage_seconds=(("correctness", 1.0), ("complexity", 0.5)),
        assessment={"name": "A", "sha256": "ef" * 32, "weight": 1.0})


@pytest.mark.parametrize("level", ["full", "summary", "none"])
def test_the_dict_and_the_dataclass_redactions_agree_and_keep_the_contract(level):
    report = _sample_report()
    as_dict = redact(report.to_dict(), level)
    assert redact_report(report, level).to_dict() == as_dict
    for key in CONTRACT_KEYS:
        assert key in as_dict
    for key in ("verdict", "score", "max_score", "seed", "submission_sha256", "challenge_sha256", "grader_version",
                "limits", "sandbox", "assessment", "protections"):
        assert as_dict[key] == report.to_dict()[key]
    text = json.dumps(as_dict)
    if level == "full":
        assert as_dict == report.to_dict()
        return
    assert as_dict["feedback"] == level
    for secret in ("returned 1", "LRUCache(1)", "evicts lru", "boom", "printed secrets", "OrderedDict", "grows",
                   "candidate_seconds", "O(n)", "14.2"):
        assert secret not in text
    if level == "summary":
        assert [(t["name"], t["status"]) for t in as_dict["correctness"]["tests"]] == [("evicts", "fail"),
                                                                                      ("gets", "pass")]
        assert as_dict["bonus"]["tests"][0]["status"] == "error"
        assert as_dict["complexity"] == [{"operation": "put", "expected": "O(1)", "measured": "",
                                          "verdict": "slower", "ratio_to_reference": None}]
        assert as_dict["rules"] == [{"rule": "forbidden-import", "detail": "", "line": 3, "file": "solution.py"}]
    else:
        assert as_dict["correctness"]["tests"] == [] and as_dict["bonus"]["tests"] == []
        assert as_dict["complexity"] == [] and as_dict["rules"] == [] and as_dict["message"] == WITHHELD


def test_the_text_renderer_shows_a_summary_report_without_details():
    from grader.report.render import to_text
    text = to_text(redact_report(_sample_report(), "summary"))
    assert "evicts" in text and "put: expected O(1) -> slower" in text and "forbidden-import" in text
    for secret in ("returned 1", "LRUCache(1)", "printed secrets", "OrderedDict", "14.2"):
        assert secret not in text
    none = to_text(redact_report(_sample_report(), "none"))
    assert "FAIL" in none and "40.0/100" in none and "evicts" not in none and "put" not in none


# --- grade under an assessment -------------------------------------------------------------------------------

def test_grade_weighs_each_candidate_and_writes_assessment_csv(tmp_path):
    batch = tmp_path / "batch"
    candidate_folder(batch, "alice", CORRECT)
    candidate_folder(batch, "bob", WRONG)
    (batch / "carol").mkdir()        # handed in nothing: not a submission, so not a candidate
    write(tmp_path / "grader.toml", ADDER_ASSESSMENT)        # above the PATH: the assessor's
    db = tmp_path / "results.db"
    result = grader("grade", "batch", "--db", str(db), "--jobs", "1", "--format", "jsonl", "--output-dir", "out",
                    *FAST, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    rows = list(csv.reader(io.StringIO((tmp_path / "out" / "assessment.csv").read_text())))
    assert rows == [["candidate", "adder", "total"], ["batch/alice", "100", "100"], ["batch/bob", "25", "25"]]
    assert "weighted totals" in result.stderr and "batch/bob" in result.stderr
    lines = [json.loads(line) for line in (tmp_path / "out" / "results.jsonl").read_text().splitlines()]
    assert [line["feedback"] for line in lines] == ["summary", "summary"]
    assert all(line["seed"] == 5 and line["assessment"]["weight"] == 2.0 for line in lines)
    assert "add(0, 1)" not in json.dumps(lines)
    with sqlite3.connect(db) as connection:      # the database keeps the full report
        stored = [json.loads(row[0]) for row in connection.execute("SELECT report FROM results")]
    assert any("add(0, 1)" in json.dumps(report) for report in stored)
    assert all("feedback" not in report for report in stored)

    full = grader("grade", "batch", "--db", str(db), "--format", "jsonl", "--feedback", "full", *FAST, cwd=tmp_path)
    assert "2 already graded" in full.stderr
    assert "add(0, 1)" in full.stdout and '"feedback"' not in full.stdout

    # Another grader.toml (other limits) grades again rather than reusing results graded under the first.
    write(tmp_path / "grader.toml", ADDER_ASSESSMENT.replace("memory_mb = 300", "memory_mb = 280"))
    again = grader("grade", "batch", "--db", str(db), *FAST, cwd=tmp_path)
    assert "0 already graded" in again.stderr


def test_grade_weighted_total_counts_missing_challenges_as_zero(tmp_path):
    from grader.batch.assessment_totals import to_csv, totals
    catalog = Catalog([FIXTURE_CHALLENGES])
    path = write(tmp_path / "grader.toml", '[assessment]\nname = "x"\n[challenges.adder]\nweight = 3\n'
                                            '[challenges.lru-cache]\nweight = 1\n')
    assessment = Assessment.load(path, catalog)
    items = [("c/alice/adder", {"challenge": "adder", "score": 50.0, "max_score": 100.0}),
             ("c/alice/lru-cache", {"challenge": "lru-cache", "score": 100.0, "max_score": 100.0}),
             ("c/bob/adder/solution.py", {"challenge": "adder", "score": 100.0, "max_score": 100.0})]
    rows = totals(items, assessment)
    assert [(r.candidate, r.total) for r in rows] == [("c/alice", 62.5), ("c/bob", 75.0)]
    assert to_csv(rows, assessment).splitlines() == ["candidate,adder,lru-cache,total", "c/alice,50,100,62.5",
                                                     "c/bob,100,,75"]


def test_grade_with_a_challenge_the_assessment_does_not_list_is_a_usage_error(tmp_path):
    candidate_folder(tmp_path / "batch", "alice", CORRECT)
    write(tmp_path / "grader.toml", HEADER + "[challenges.lru-cache]\n")
    result = grader("grade", "batch", "--db", str(tmp_path / "r.db"), *FAST, cwd=tmp_path)
    assert result.returncode == 2
    assert "batch/alice/adder (adder)" in result.stderr and "lists lru-cache" in result.stderr


def test_grade_warns_about_an_assessment_below_the_paths_it_does_not_apply(tmp_path):
    candidate_folder(tmp_path / "batch", "alice", CORRECT)
    write(tmp_path / "batch" / "alice" / "grader.toml", ADDER_ASSESSMENT)
    result = grader("grade", "batch", "--db", str(tmp_path / "r.db"), "--format", "jsonl", *FAST, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "not applied" in result.stderr and "--assessment" in result.stderr
    assert "assessment" not in json.loads(result.stdout)


# --- the kit -----------------------------------------------------------------------------------------------------

KIT_ASSESSMENT = """\
[assessment]
name = "Backend take-home"
feedback = "summary"

[challenges.lru-cache]
weight = 2
time_limit = 90
[challenges.pair-sum]
"""

KIT_FILES = ["README.md", "grader.toml", "lru-cache/.grader.toml", "lru-cache/README.md", "lru-cache/solution.py",
             "pair-sum/.grader.toml", "pair-sum/README.md", "pair-sum/solution.py"]


def _hidden_material(slugs) -> set[bytes]:
    """The bytes of every hidden test, benchmark spec, reference and mutant of these challenges."""
    contents = set()
    for slug in slugs:
        for folder in (ROOT / "challenges" / slug / "tests", ROOT / "reference" / slug):
            contents |= {p.read_bytes() for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
        contents.add((ROOT / "challenges" / slug / "benchmark.py").read_bytes())
    return contents


def _assert_no_hidden_material(files: dict[str, bytes]) -> None:
    hidden = _hidden_material(["lru-cache", "pair-sum"])
    for name, content in files.items():
        assert content not in hidden, f"{name} is hidden material"
        parts = name.split("/")
        assert "tests" not in parts and "mutants" not in parts and parts[-1] != "benchmark.py"
        assert b"@given" not in content and b"hypothesis" not in content.lower()


def test_kit_folder_holds_prompts_stubs_markers_and_no_hidden_material(tmp_path):
    toml = write(tmp_path / "grader.toml", KIT_ASSESSMENT)
    result = grader("kit", str(toml), "--output", str(tmp_path / "kit"))
    assert result.returncode == 0, result.stderr
    kit = tmp_path / "kit"
    files = {p.relative_to(kit).as_posix(): p.read_bytes() for p in kit.rglob("*") if p.is_file()}
    assert sorted(files) == KIT_FILES
    assert sorted(p.name for p in kit.rglob("*") if p.is_dir()) == ["lru-cache", "pair-sum"]
    _assert_no_hidden_material(files)
    assert files["grader.toml"] == toml.read_bytes()
    assert files["lru-cache/solution.py"] == (ROOT / "challenges" / "lru-cache" / "stub" / "solution.py").read_bytes()
    assert files["lru-cache/README.md"] == (ROOT / "challenges" / "lru-cache" / "README.md").read_bytes()
    assert files["pair-sum/.grader.toml"] == b'challenge = "pair-sum"\n'
    readme = files["README.md"].decode()
    assert "Backend take-home" in readme and "grader test" in readme and "grader submit" in readme
    assert "| 67% | 5 s | 90 s | 256 MiB |" in readme and "whether each" in readme
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".kit")] == []


def test_kit_zip_is_written_atomically_and_refuses_to_overwrite(tmp_path):
    toml = write(tmp_path / "grader.toml", KIT_ASSESSMENT)
    target = tmp_path / "take-home.zip"
    assert grader("kit", str(toml), "--output", str(target)).returncode == 0
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        files = {name.split("/", 1)[1]: archive.read(name) for name in names}
    assert all(name.startswith("take-home/") for name in names)
    assert sorted(files) == KIT_FILES
    _assert_no_hidden_material(files)
    first = target.read_bytes()
    again = grader("kit", str(toml), "--output", str(target))
    assert again.returncode == 2 and "already exists" in again.stderr and "--force" in again.stderr
    assert grader("kit", str(toml), "--output", str(target), "--force").returncode == 0
    assert target.read_bytes() == first                              # the same kit, byte for byte
    assert sorted(p.name for p in tmp_path.iterdir()) == ["grader.toml", "take-home.zip"]   # no temporary left


def test_kit_refuses_a_non_empty_folder_unless_forced(tmp_path):
    toml = write(tmp_path / "grader.toml", KIT_ASSESSMENT)
    folder = tmp_path / "kit"
    folder.mkdir()
    assert grader("kit", str(toml), "--output", str(folder)).returncode == 0      # empty: fine
    (folder / "lru-cache" / "solution.py").write_text("my work\n")
    again = grader("kit", str(toml), "--output", str(folder))
    assert again.returncode == 2 and "not empty" in again.stderr
    assert (folder / "lru-cache" / "solution.py").read_text() == "my work\n"
    assert grader("kit", str(toml), "--output", str(folder), "--force").returncode == 0
    assert (folder / "lru-cache" / "solution.py").read_text() != "my work\n"


def test_kit_of_an_invalid_assessment_writes_nothing(tmp_path):
    toml = write(tmp_path / "grader.toml", HEADER + "[challenges.nope]\n")
    result = grader("kit", str(toml), "--output", str(tmp_path / "kit"))
    assert result.returncode == 2 and "'nope', which does not exist" in result.stderr
    assert not (tmp_path / "kit").exists()


def test_a_candidate_inside_the_kit_needs_no_option(tmp_path):
    toml = write(tmp_path / "grader.toml", ADDER_ASSESSMENT)
    assert grader("kit", str(toml), "--output", str(tmp_path / "kit")).returncode == 0
    workspace = tmp_path / "kit" / "adder"
    stub = grader("test", *FAST, cwd=workspace)
    assert stub.returncode == 1 and 'Assessment "Fixture take-home"' in stub.stderr
    (workspace / "solution.py").write_bytes(CORRECT.read_bytes())
    result = grader("submit", *FAST[:2], "--format", "json", ".", cwd=workspace)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["feedback"] == "summary" and report["seed"] == 5 and report["verdict"] == "pass"


# --- what a candidate hands back never configures the grading (hostile kits) -----------------------------------

KEY = {"GRADER_SIGNING_KEY": "assessor-key-for-tests"}
EDITS = {"seed = 5": "seed = 99", "memory_mb = 300": "memory_mb = 4096"}


def _handed_back(tmp_path: Path, key: dict | None = None) -> tuple[Path, Path, Path]:
    """(the assessor's grader.toml, alice's kit with an edited grader.toml, bob's untouched kit), each with the
    fixture's correct solution."""
    mine = write(tmp_path / "take-home" / "grader.toml", ADDER_ASSESSMENT)
    made = grader("kit", str(mine), "--output", str(tmp_path / "kit"), env=key)
    assert made.returncode == 0, made.stderr
    kits = {}
    for name in ("alice", "bob"):
        kit = tmp_path / "received" / name
        for file in (tmp_path / "kit").rglob("*"):
            if file.is_file():
                target = kit / file.relative_to(tmp_path / "kit")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(file.read_bytes())
        (kit / "adder" / "solution.py").write_bytes(CORRECT.read_bytes())
        kits[name] = kit
    edited = (kits["alice"] / "grader.toml").read_text()
    for before, after in EDITS.items():
        assert before in edited
        edited = edited.replace(before, after)
    (kits["alice"] / "grader.toml").write_text(edited)
    return mine, kits["alice"], kits["bob"]


def _sha256(path: Path) -> str:
    import hashlib
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_grade_never_takes_the_grader_toml_inside_what_it_grades(tmp_path):
    mine, alice, _ = _handed_back(tmp_path)
    result = grader("grade", str(alice), "--db", str(tmp_path / "r.db"), "--format", "jsonl", *FAST)
    assert result.returncode == 0, result.stderr
    [report] = [json.loads(line) for line in result.stdout.splitlines()]
    assert report["seed"] == 0 and "assessment" not in report                   # not 99, not alice's assessment
    protections = " ".join(report["protections"])
    assert "4096 MiB" not in protections and "address space 200 MiB" in protections   # the challenge's own
    assert "Assessment " not in result.stderr
    [warning] = [line for line in result.stderr.splitlines() if "not applied" in line]
    assert str(alice / "grader.toml") in warning and "--assessment" in warning

    # The assessor's copy, given with --assessment: its seed, limits and hash, and no warning.
    own = grader("grade", str(alice), "--assessment", str(mine), "--db", str(tmp_path / "r.db"), "--format", "jsonl",
                 "--feedback", "full", *FAST)
    assert own.returncode == 0, own.stderr
    [report] = [json.loads(line) for line in own.stdout.splitlines()]
    assert report["seed"] == 5 and "address space 300 MiB" in " ".join(report["protections"])
    assert report["assessment"]["sha256"] == _sha256(mine) and "not applied" not in own.stderr

    # One strictly above the PATH (the assessor's folder) is used; the one at the PATH is not.
    write(tmp_path / "received" / "grader.toml", ADDER_ASSESSMENT.replace("seed = 5", "seed = 6"))
    above = grader("grade", str(alice), "--db", str(tmp_path / "r.db"), "--format", "jsonl", "--feedback", "full",
                   *FAST)
    assert above.returncode == 0, above.stderr
    assert json.loads(above.stdout)["seed"] == 6 and "not applied" in above.stderr


def test_with_the_key_an_edited_kit_grader_toml_is_refused_and_an_untouched_one_is_used(tmp_path):
    from grader import signing
    mine, alice, bob = _handed_back(tmp_path, key=KEY)
    kit_file = (tmp_path / "kit" / "grader.toml").read_bytes()
    assert kit_file.startswith(mine.read_bytes())
    assert kit_file.decode().splitlines()[-1].startswith("# grader-signature: hmac-sha256:")
    assert signing.verify_file(kit_file, KEY["GRADER_SIGNING_KEY"].encode()).ok

    refused = grader("submit", str(alice / "adder"), "--format", "json", *FAST, env=KEY)
    assert refused.returncode == 2 and refused.stdout == ""
    assert "was edited or not made by `grader kit` with your key" in refused.stderr
    assert "--assessment YOUR_COPY" in refused.stderr and str(alice / "grader.toml") in refused.stderr
    assert "changed after it was signed" in refused.stderr and "Traceback" not in refused.stderr
    graded = grader("grade", str(tmp_path / "received"), "--db", str(tmp_path / "r.db"), *FAST, env=KEY)
    assert graded.returncode == 0 and "not applied" in graded.stderr     # inside the PATH: never read at all

    accepted = grader("submit", str(bob / "adder"), "--format", "json", "--feedback", "full", *FAST, env=KEY)
    assert accepted.returncode == 0, accepted.stderr
    report = json.loads(accepted.stdout)
    assert report["seed"] == 5 and "address space 300 MiB" in " ".join(report["protections"])
    assert report["assessment"]["sha256"] == _sha256(mine)      # the signature line is not part of the assessment
    out = tmp_path / "bob.json"
    out.write_text(accepted.stdout)
    verified = grader("verify", str(out), "--assessment", str(mine), env=KEY)
    assert verified.returncode == 0, verified.stdout

    other_key = grader("submit", str(bob / "adder"), *FAST, env={"GRADER_SIGNING_KEY": "someone else's"})
    assert other_key.returncode == 2 and "signed with another key" in other_key.stderr
    explicit = grader("submit", str(alice / "adder"), "--assessment", str(mine), "--format", "json", *FAST, env=KEY)
    assert explicit.returncode == 0 and json.loads(explicit.stdout)["seed"] == 5      # --assessment always wins

    # The candidate (no key) keeps today's loop: their own, edited copy decides what they see.
    preview = grader("submit", ".", "--format", "json", *FAST, cwd=alice / "adder")
    assert preview.returncode == 0, preview.stderr
    assert json.loads(preview.stdout)["seed"] == 99


def test_with_the_key_an_unsigned_grader_toml_found_by_the_grader_is_refused(tmp_path):
    _, _, bob = _handed_back(tmp_path)                       # a kit made without the key: not signed
    result = grader("test", *FAST, cwd=bob / "adder", env=KEY)
    assert result.returncode == 2 and "carries no signature line" in result.stderr
    assert "\n" not in result.stderr.strip()                                   # one paragraph
    assert grader("test", *FAST, cwd=bob / "adder").returncode == 0              # no key: the candidate's loop


def test_signing_a_file_replaces_an_old_signature_and_any_edit_breaks_it():
    from grader import signing
    body = b'[assessment]\nname = "x"\n[challenges.adder]\n'
    signed = signing.sign_file(body, b"k")
    assert signed.startswith(body) and signing.split_file_signature(signed)[0] == body
    assert signing.sign_file(signed, b"k") == signed and signing.sign_file(signed, b"j").startswith(body)
    assert signing.verify_file(signed + b"\n\n", b"k").ok                     # trailing blank lines are harmless
    for edited in (signed.replace(b'"x"', b'"y"'), signed + b"seed = 1\n", b"seed = 1\n" + signed,
                   signed.replace(b"# grader", b"#grader")):
        assert not signing.verify_file(edited, b"k").ok
    assert signing.sign_file(body.rstrip(b"\n"), b"k") == signed              # a last newline is added


def test_weighted_totals_csv_keeps_a_candidate_named_like_a_formula_as_text(tmp_path):
    from grader.batch.assessment_totals import to_csv, totals
    catalog = Catalog([FIXTURE_CHALLENGES])
    path = write(tmp_path / "grader.toml", '[assessment]\nname = "x"\n[challenges.adder]\nweight = 1\n')
    rows = totals([("=1+1/adder", {"challenge": "adder", "score": 50.0, "max_score": 100.0})],
                  Assessment.load(path, catalog))
    assert to_csv(rows, Assessment.load(path, catalog)).splitlines()[1] == "'=1+1,50,50"
