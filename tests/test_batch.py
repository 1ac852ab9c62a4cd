"""``grader grade``: discovery, the results database and resuming, formats, exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from grader.batch.discover import discover
from grader.errors import ChallengeUndetermined
from grader.grading import GradeOptions, grade
from grader.report.formats import CSV_COLUMNS, github_summary, to_csv, to_github, to_jsonl, to_junit
from grader.sandbox.process import ProcessBackend
from tests.conftest import FIXTURE_CHALLENGES

ROOT = Path(__file__).resolve().parents[1]
CORRECT = (ROOT / "tests" / "fixtures" / "reference" / "adder" / "solution.py").read_text()
WRONG = (ROOT / "tests" / "fixtures" / "reference" / "adder" / "mutants" / "subtracts.py").read_text()
# Correct, but slow enough (a few ms a call) that a batch is still running when the test kills it.
SLOW = "import time\n" + CORRECT.replace("    return a + b", "    time.sleep(0.004)\n    return a + b")
WORKFLOW_COMMAND = re.compile(r"^::error file=[^,:]+,line=\d+,title=[^:,]+::\S.*$")


def write(folder: Path, source: str, marker: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "solution.py").write_text(source)
    if marker:
        (folder / ".grader.toml").write_text(f'challenge = "{marker}"\n')
    return folder


def grader(*args: str, cwd: Path, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "grader", "--challenges-dir", str(FIXTURE_CHALLENGES), *args],
                          capture_output=True, text=True, cwd=cwd, timeout=180,
                          env=dict(os.environ, NO_COLOR="1", PYTHONPATH=str(ROOT), **(env or {})), **kwargs)


def rows(db: Path, sql: str) -> list:
    connection = sqlite3.connect(db)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def stored_results(db: Path) -> int:
    """Results committed so far (0 while the database is still being created)."""
    try:
        return rows(db, "SELECT count(*) FROM results")[0][0] if db.exists() else 0
    except sqlite3.OperationalError:
        return 0


# --- discovery ---------------------------------------------------------------------------------

def test_discovers_a_single_submission_folder(tmp_path, catalog):
    folder = write(tmp_path / "mine", CORRECT, marker="adder")
    [found] = discover([folder], catalog)
    assert found.path == folder and found.challenge.slug == "adder" and len(found.sha256) == 64


def test_discovers_a_repository_of_slug_folders_and_markers(tmp_path, catalog):
    repo = tmp_path / "repo"
    write(repo / "adder", CORRECT)                          # slug from the folder's name
    write(repo / "part-two", WRONG, marker="adder")         # slug from the marker
    (repo / "notes").mkdir()                                # nothing in it: ignored
    write(repo / ".git" / "adder", CORRECT)                 # hidden folders are skipped
    found = discover([repo], catalog)
    assert [(f.label, f.challenge.slug) for f in found] == [(str(repo / "adder"), "adder"),
                                                            (str(repo / "part-two"), "adder")]


def test_discovers_candidates_folders_recursively(tmp_path, catalog):
    batch = tmp_path / "batch"
    write(batch / "alice" / "adder", CORRECT)               # a candidate's repository
    write(batch / "bob", WRONG, marker="adder")             # a candidate's submission folder
    write(batch / "cohort-2" / "carol" / "adder", SLOW)     # deeper
    (batch / "dave" / "adder").mkdir(parents=True)          # named for the challenge, no solution.py yet
    write(batch / "by-challenge" / "adder" / "erin", CORRECT + "# erin\n")   # the slug from a parent folder
    found = discover([batch, batch / "bob"], catalog)       # bob twice: found once
    labels = [Path(f.label).relative_to(batch).as_posix() for f in found]
    assert labels == ["alice/adder", "bob", "by-challenge/adder/erin", "cohort-2/carol/adder", "dave/adder"]
    assert {f.challenge.slug for f in found} == {"adder"}
    assert found[0].sha256 != found[2].sha256 and found[-1].sha256.startswith("unreadable-")


def test_a_folder_whose_challenge_cannot_be_told_is_a_usage_error(tmp_path, catalog):
    write(tmp_path / "batch" / "alice", CORRECT)
    with pytest.raises(ChallengeUndetermined, match="--challenge"):
        discover([tmp_path / "batch"], catalog)
    assert [f.challenge.slug for f in discover([tmp_path / "batch"], catalog, "adder")] == ["adder"]


def _marker(folder: Path, text: str) -> None:
    (folder / ".grader.toml").write_text(text)


def test_markers_never_choose_the_challenge_under_a_folder_named_after_one(tmp_path, catalog):
    """lru-cache/mallory/.grader.toml saying reverse-string made `grader grade lru-cache` grade it as
    reverse-string; one naming no challenge aborted the batch. The layout decides, and each bad marker
    refuses its own submission only."""
    adder = tmp_path / "batch" / "adder"
    write(adder / "alice", CORRECT)
    write(adder / "agrees", CORRECT + "# agrees\n", marker="adder")
    write(adder / "mallory", CORRECT, marker="reverse-string")          # alice's code, another challenge
    write(adder / "eve", CORRECT, marker="no-such-challenge")
    _marker(write(adder / "trudy", CORRECT), "challenge = reverse-string\n")       # not TOML
    _marker(write(adder / "carl", CORRECT), "challenge = 3\n")
    _marker(write(adder / "huge", CORRECT), "# padding\n" * 1000 + 'challenge = "adder"\n')
    (write(adder / "linked", CORRECT) / ".grader.toml").symlink_to(adder / "mallory" / ".grader.toml")
    found = {Path(f.label).name: f for f in discover([tmp_path / "batch"], catalog)}
    assert {name: f.challenge.slug for name, f in found.items()} == dict.fromkeys(found, "adder")
    assert found["alice"].problem == found["agrees"].problem == ""
    assert ("its .grader.toml says 'reverse-string' but it sits in the adder folder; markers never choose the "
            "challenge in a batch") in found["mallory"].problem
    assert "says 'no-such-challenge' but it sits in the adder folder" in found["eve"].problem
    assert "is malformed (it is not valid TOML" in found["trudy"].problem
    assert "is malformed (it has challenge = 3, which is not a string)" in found["carl"].problem
    assert "is malformed (it is larger than 4096 bytes)" in found["huge"].problem
    assert "is malformed (it is a symbolic link)" in found["linked"].problem
    # A refused submission never shares a result with the same code graded elsewhere.
    assert found["mallory"].sha256.startswith("refused-") and found["mallory"].sha256 != found["alice"].sha256
    assert found["mallory"].sha256 != found["eve"].sha256
    # The folders above the PATH are the layout too; --challenge always wins.
    [alone] = discover([adder / "mallory"], catalog)
    assert alone.challenge.slug == "adder" and "says 'reverse-string'" in alone.problem
    assert all(not f.problem for f in discover([tmp_path / "batch"], catalog, "adder"))
    assert discover([adder / "mallory"], catalog, "reverse-string")[0].challenge.slug == "reverse-string"


def test_where_no_folder_is_named_after_a_challenge_the_marker_still_decides(tmp_path, catalog):
    write(tmp_path / "batch" / "solo", CORRECT, marker="adder")
    [found] = discover([tmp_path / "batch"], catalog)
    assert found.challenge.slug == "adder" and found.problem == ""
    write(tmp_path / "batch" / "odd", CORRECT, marker="no-such-challenge")
    with pytest.raises(ChallengeUndetermined, match="names 'no-such-challenge', which is not a challenge"):
        discover([tmp_path / "batch"], catalog)


def test_grade_stores_an_error_for_each_bad_marker_and_grades_the_rest(tmp_path):
    reverse = (ROOT / "reference" / "reverse-string" / "solution.py").read_text()
    write(tmp_path / "adder" / "alice", CORRECT)
    write(tmp_path / "adder" / "mallory", reverse, marker="reverse-string")        # would pass as reverse-string
    write(tmp_path / "adder" / "eve", CORRECT, marker="no-such-challenge")         # aborted the whole batch
    write(tmp_path / "adder" / "twin", CORRECT, marker="reverse-string")           # alice's code
    db = tmp_path / "r.db"
    result = grader("grade", "adder", "--db", str(db), "--jobs", "2", "--sandbox", "process", "--no-complexity",
                    "--format", "jsonl", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    reports = {Path(r["submission"]).name: r for r in map(json.loads, result.stdout.splitlines())}
    assert {name: (r["challenge"], r["verdict"], r["score"]) for name, r in reports.items()} == {
        "alice": ("adder", "pass", 100.0), "eve": ("adder", "error", 0.0), "mallory": ("adder", "error", 0.0),
        "twin": ("adder", "error", 0.0)}
    assert ("its .grader.toml says 'reverse-string' but it sits in the adder folder; markers never choose the "
            "challenge in a batch") in reports["mallory"]["message"]
    assert "says 'no-such-challenge'" in reports["eve"]["message"]
    assert reports["twin"]["submission_sha256"] == reports["alice"]["submission_sha256"]   # the code's own hash
    assert reports["mallory"]["correctness"]["tests"] == [] and reports["mallory"]["sandbox"] == "process"
    assert rows(db, "SELECT count(*) FROM results") == [(4,)]            # stored like any other result
    again = grader("grade", "adder", "--db", str(db), "--sandbox", "process", "--no-complexity", cwd=tmp_path)
    assert again.returncode == 1 and "0 graded now, 4 from" in again.stderr

    # grader submit: a marker that disagrees with the folder layout is refused; --challenge wins.
    refused = grader("submit", "adder/mallory", "--sandbox", "process", "--no-complexity", cwd=tmp_path)
    assert refused.returncode == 2 and "says 'reverse-string' but it sits in the adder folder" in refused.stderr
    forced = grader("submit", "adder/mallory", "--challenge", "reverse-string", "--sandbox", "process",
                    "--no-complexity", cwd=tmp_path)
    assert forced.returncode == 0, forced.stdout + forced.stderr


# --- formats -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """(label, report dict) for a passing, a failing and an ungradable submission."""
    from grader.catalog import Catalog
    adder = Catalog([FIXTURE_CHALLENGES]).get("adder")
    base = tmp_path_factory.mktemp("formats")
    items = []
    for name, source in (("good", CORRECT), ("bad", WRONG), ("broken", "def add(a, b)\n    return 1\n")):
        folder = write(base / name, source)
        report = grade(folder, adder, ProcessBackend(use_bwrap=False), GradeOptions(max_examples=5))
        items.append((f"subs/{name}", report.to_dict()))
    return items


def test_gradescope_points_follow_the_challenge_weights_of_a_real_report(reports):
    """adder weighs adds_two_integers 3 and counter_counts 1: the subtracting
    submission keeps 25 of 100, and Gradescope's tests must say so."""
    import json
    from grader.report.gradescope import to_gradescope
    label, bad = reports[1]
    assert bad["points"] == {"correctness": 100.0, "complexity": 0.0} and bad["score"] == 25.0
    assert {t["name"]: t["weight"] for t in bad["correctness"]["tests"]} == {"adds_two_integers": 3.0,
                                                                           "counter_counts": 1.0}
    results = json.loads(to_gradescope([(label, bad)]))
    assert {t["name"]: (t["score"], t["max_score"]) for t in results["tests"]} == {
        "adds_two_integers": (0.0, 75.0), "counter_counts": (25.0, 25.0)}
    assert results["score"] == 25.0


def test_jsonl_is_one_contract_report_per_line_with_the_submission(reports):
    lines = to_jsonl(reports).splitlines()
    assert len(lines) == 3
    parsed = [json.loads(line) for line in lines]
    assert [p["submission"] for p in parsed] == ["subs/good", "subs/bad", "subs/broken"]
    assert [p["verdict"] for p in parsed] == ["pass", "fail", "error"]
    assert all(p["schema"] == 1 and "correctness" in p for p in parsed)


def test_junit_has_a_testcase_per_hidden_test_and_the_counterexample(reports):
    root = ET.fromstring(to_junit(reports))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["subs/good", "subs/bad", "subs/broken"]
    good, bad, broken = suites
    assert [c.get("name") for c in good.findall("testcase")] == ["adds_two_integers", "counter_counts"]
    assert good.get("failures") == "0" and good.find("testcase/failure") is None
    failure = bad.find("testcase[@name='adds_two_integers']/failure")
    assert failure is not None and "expected" in failure.get("message") and "add(" in failure.text
    assert bad.get("failures") == "1" and root.get("failures") == "1"
    error = broken.find("testcase/error")
    assert error is not None and "syntax error" in error.get("message") and root.get("errors") == "1"


def test_junit_survives_control_characters(reports):
    label, report = reports[1]
    report = json.loads(json.dumps(report))
    report["correctness"]["tests"][0]["counterexample"] = "add('\x00\x1b') -> \ud800"
    ET.fromstring(to_junit([(label, report)]))


def test_csv_has_a_header_and_a_row_per_submission(reports):
    table = list(csv.reader(io.StringIO(to_csv(reports))))
    assert tuple(table[0]) == CSV_COLUMNS and len(table) == 4
    good = dict(zip(table[0], table[1]))
    assert good["submission"] == "subs/good" and good["verdict"] == "pass" and good["failed"] == "0"
    assert float(good["score"]) == float(good["max_score"]) == 100 and len(good["submission_sha256"]) == 64


def test_github_annotations_use_the_workflow_command_syntax(reports):
    lines = to_github(reports).splitlines()
    assert lines and all(WORKFLOW_COMMAND.match(line) for line in lines), lines
    assert not any("subs/good" in line for line in lines)
    assert any(line.startswith("::error file=subs/bad/solution.py,line=1,") and "%0A" in line for line in lines)
    assert any(line.startswith("::error file=subs/broken/solution.py,line=1,") for line in lines)
    summary = github_summary(reports)
    assert "| subs/bad | adder | fail |" in summary and "1 of 3 submissions pass" in summary


# --- the command ----------------------------------------------------------------------------------

def test_grade_writes_every_format_and_the_exit_code_follows_the_scores(tmp_path):
    write(tmp_path / "subs" / "good" / "adder", CORRECT)
    write(tmp_path / "subs" / "bad" / "adder", WRONG)
    summary = tmp_path / "summary.md"
    result = grader("grade", "subs", "--jobs", "2", "--sandbox", "process", "--output-dir",
                    "out", "--format", "jsonl", "--format", "junit", "--format", "csv", "--format", "github",
                    cwd=tmp_path, env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.returncode == 1, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["junit.xml", "results.csv", "results.jsonl"]
    assert all(WORKFLOW_COMMAND.match(line) for line in result.stdout.splitlines()) and result.stdout
    assert "subs/bad/adder" in summary.read_text()
    assert "pass" in result.stderr and "subs/good/adder" in result.stderr   # a plain line per submission
    ET.parse(tmp_path / "out" / "junit.xml")
    again = grader("grade", "subs", "--min-score", "25", "--format", "csv", cwd=tmp_path)
    assert again.returncode == 0 and len(again.stdout.splitlines()) == 3
    assert "0 graded now, 2 from" in again.stderr
    assert grader("grade", "subs", "--min-score", "26", cwd=tmp_path).returncode == 1
    assert grader("grade", "subs/good", cwd=tmp_path).returncode == 0
    usage = grader("grade", "subs", "--format", "csv", "--format", "junit", cwd=tmp_path)
    assert usage.returncode == 2 and "--output-dir" in usage.stderr
    mixed = grader("grade", "subs", "--format", "github", "--format", "csv", cwd=tmp_path)
    assert mixed.returncode == 2 and "--output-dir" in mixed.stderr   # annotations and CSV would share stdout


def test_a_candidate_folder_whose_name_is_not_utf8_is_graded_and_shown_escaped(tmp_path):
    """Such a name reached SQLite (and CSV) as surrogates: an internal error, exit 3."""
    write(tmp_path / "subs" / "alice" / "adder", CORRECT)
    odd = os.path.join(os.fsencode(tmp_path / "subs"), b"mal\xfflory", b"adder")
    os.makedirs(odd)
    with open(os.path.join(odd, b"solution.py"), "w") as handle:
        handle.write(WRONG)
    result = grader("grade", "subs", "--sandbox", "process", "--output-dir", "out", "--format", "csv",
                    "--format", "junit", "--format", "html", "--format", "jsonl", "--format", "gradescope",
                    cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    table = (tmp_path / "out" / "results.csv").read_text()
    assert "subs/mal\\xfflory/adder" in table and "subs/alice/adder" in table
    ET.parse(tmp_path / "out" / "junit.xml")


def test_same_content_at_two_paths_is_graded_once_and_force_grades_again(tmp_path):
    write(tmp_path / "a" / "adder", CORRECT)
    write(tmp_path / "b" / "adder", CORRECT)
    db = tmp_path / "results.db"
    first = grader("grade", "a", "b", "--db", str(db), "--sandbox", "process", "--format", "jsonl", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert [json.loads(line)["submission"] for line in first.stdout.splitlines()] == ["a/adder", "b/adder"]
    assert rows(db, "SELECT count(*) FROM gradings") == [(1,)]
    assert sorted(Path(p).relative_to(tmp_path).as_posix() for (p,) in rows(db, "SELECT path FROM paths")) == \
        ["a/adder", "b/adder"]
    forced = grader("grade", "a", "b", "--db", str(db), "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert rows(db, "SELECT count(*) FROM gradings") == [(2,)] and rows(db, "SELECT count(*) FROM results") == [(1,)]
    other_seed = grader("grade", "a", "--db", str(db), "--seed", "7", cwd=tmp_path)
    assert other_seed.returncode == 0 and rows(db, "SELECT count(*) FROM gradings") == [(3,)]


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as status:
            return any(line.startswith("State:") and "Z" in line.split()[1] for line in status)
    except FileNotFoundError:
        return True


def test_a_batch_killed_with_sigkill_resumes_and_grades_nothing_twice(tmp_path):
    for index in range(6):
        write(tmp_path / "subs" / f"candidate-{index}" / "adder", SLOW + f"# candidate {index}\n")
    db = tmp_path / "results.db"
    command = [sys.executable, "-m", "grader", "--challenges-dir", str(FIXTURE_CHALLENGES), "grade", "subs",
               "--jobs", "2", "--db", str(db), "--sandbox", "process"]
    env = dict(os.environ, NO_COLOR="1", PYTHONPATH=str(ROOT))
    process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            if stored_results(db) >= 1:
                break
            assert process.poll() is None, "the batch ended before it could be interrupted"
            time.sleep(0.02)
        else:
            pytest.fail("no result appeared in the database")
    finally:
        process.kill()
        process.wait()
    done_before = rows(db, "SELECT count(*) FROM results")[0][0]
    assert 1 <= done_before < 6
    workers = {pid for (pid,) in rows(db, "SELECT worker_pid FROM gradings")}
    deadline = time.monotonic() + 15
    while not all(_gone(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert all(_gone(pid) for pid in workers), "worker processes outlived their killed parent"
    assert rows(db, "SELECT count(*) FROM gradings")[0][0] == done_before   # nothing graded for nobody

    resumed = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{done_before} already graded" in resumed.stderr
    assert rows(db, "SELECT count(*) FROM results") == [(6,)]
    per_submission = rows(db, "SELECT submission_sha256, count(*) FROM gradings GROUP BY submission_sha256")
    assert len(per_submission) == 6 and all(count == 1 for _, count in per_submission)
    assert rows(db, "SELECT count(DISTINCT path) FROM paths") == [(6,)]


def test_a_worker_that_dies_is_replaced_and_only_its_submission_goes_ungraded(tmp_path):
    """The worker-killer fixture's hidden test SIGKILLs the worker it runs in
    when add(1, 1) returns 3, as a crash in native code would. The pool is
    rebuilt; the other submissions are graded once each; the culprit is tried
    alone MAX_ATTEMPTS times and then reported as not graded (exit 3)."""
    from grader.batch.run import MAX_ATTEMPTS
    killer = CORRECT.replace("return a + b", "return 3 if (a, b) == (1, 1) else a + b")
    write(tmp_path / "subs" / "killer" / "worker-killer", killer)
    for index in range(4):
        write(tmp_path / "subs" / f"fine-{index}" / "worker-killer", SLOW + f"# {index}\n")
    db = tmp_path / "results.db"
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    result = grader("grade", "subs", "--jobs", "2", "--db", str(db), "--sandbox", "process", "--format", "csv",
                    cwd=tmp_path, env={"TMPDIR": str(private_tmp)})
    assert result.returncode == 3, result.stderr
    # The killed worker could not remove its sandbox's folder; the batch did.
    assert not [p.name for p in private_tmp.iterdir() if p.name.startswith("grader-sandbox-")]
    assert "not graded" in result.stderr and f"died {MAX_ATTEMPTS} times" in result.stderr
    assert result.stdout.count("worker-killer,pass") == 4 and "subs/killer" not in result.stdout
    per_submission = rows(db, "SELECT submission_sha256, count(*) FROM gradings GROUP BY submission_sha256")
    assert len(per_submission) == 4 and all(count == 1 for _, count in per_submission)


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x","open")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"])
def test_csv_keeps_a_folder_named_like_a_formula_as_text(reports, name):
    """A candidate names their own folder: a spreadsheet must not run it as a formula."""
    label, report = reports[0]
    table = list(csv.reader(io.StringIO(to_csv([(name, report)]))))
    assert table[1][0] == "'" + name
    assert list(csv.reader(io.StringIO(to_csv([("subs/good", report)]))))[1][0] == "subs/good"
