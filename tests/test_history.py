"""The candidate's history and hints (issue 16 items 3 and 4): a real
workspace graded with `grader test` then `grader submit`, `grader history`
(table and JSON), `grader hint` revealing the author's levels one at a
time, and a history file that is broken, locked, another program's or in
the folder handed in, none of which may change a grade."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from grader import history
from grader.catalog import Catalog
from grader.report.model import Report
from grader.report.model import TestResult as Result
from tests.conftest import FIXTURE_CHALLENGES
from tests.test_messages import cli  # noqa: F401 - the fixture

WRONG = textwrap.dedent("""\
    def add(a, b):
        return a + b if a >= 0 else 0


    class Counter:
        def __init__(self):
            self.count = 0

        def increment(self):
            self.count += 1
            return self.count
    """)
RIGHT = WRONG.replace("a + b if a >= 0 else 0", "a + b")
HINTS = '\n[hints]\nadds_two_integers = ["Try a negative a.", "add returns a + b for every a."]\n'


@pytest.fixture
def store(tmp_path_factory, monkeypatch) -> Path:
    """Outside tmp_path, which holds the workspace and the assessment: a history there is refused."""
    path = tmp_path_factory.mktemp("state") / "history.sqlite"
    monkeypatch.setenv("GRADER_HISTORY", str(path))
    return path


@pytest.fixture
def challenges(tmp_path) -> Path:
    """The fixture challenge with hints, in a private folder."""
    root = tmp_path / "challenges"
    shutil.copytree(FIXTURE_CHALLENGES / "adder", root / "adder")
    meta = root / "adder" / "challenge.toml"
    meta.write_text(meta.read_text(encoding="utf-8") + HINTS, encoding="utf-8")
    return root


@pytest.fixture
def grader(cli, challenges, tmp_path, monkeypatch):  # noqa: F811
    """``grader ARGS`` in the workspace tmp/ws (made by grader start), the challenges folder given."""
    code, _, err = cli("--challenges-dir", challenges, "start", "adder", tmp_path / "ws")
    assert code == 0, err
    monkeypatch.chdir(tmp_path / "ws")

    def run(*args):
        extra = ["--sandbox", "process"] if args[0] in ("test", "submit") else []
        return cli("--challenges-dir", challenges, *args, *extra)
    return run


def solution(text: str) -> None:
    Path("solution.py").write_text(text, encoding="utf-8")


def history_json(grader, *args) -> dict:
    code, out, err = grader("history", *args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def test_test_then_submit_are_both_in_the_history(grader, store, tmp_path):
    solution(WRONG)
    assert grader("test")[0] == 1
    solution(RIGHT)
    code, out, _ = grader("submit", "--format", "json")
    assert code == 0 and json.loads(out)["hints_used"] == 0
    data = history_json(grader)
    assert data["schema"] == 1 and data["history"] == str(store)
    [group] = data["workspaces"]
    assert group["workspace"] == str((tmp_path / "ws").resolve()) and group["challenge"] == "adder"
    first, second = group["attempts"]
    assert (first["command"], first["verdict"], second["command"], second["verdict"]) == ("test", "fail",
                                                                                          "submit", "pass")
    assert first["failed"] == ["adds_two_integers"] and first["passed"] == ["counter_counts"]
    assert second["newly_passing"] == ["adds_two_integers"] and second["newly_failing"] == []
    assert group["first_pass"]["attempt"] == 2 and group["first_pass"]["command"] == "submit"
    assert group["first_pass"]["time"] == second["time"] and group["first_pass"]["seconds_after_first_attempt"] >= 0
    assert group["scores"] == [first["score"], 100.0] and first["score"] < 100
    assert set(first) == {"attempt", "time", "timestamp", "command", "seed", "verdict", "score", "max_score",
                          "complexity_checked", "passed", "failed", "newly_passing", "newly_failing", "hints_used",
                          "feedback", "grader_version", "challenge_version", "submission_sha256"}
    assert first["submission_sha256"] != second["submission_sha256"] and len(second["submission_sha256"]) == 64
    code, out, _ = grader("history")
    assert code == 0
    assert "2 attempt(s); first pass: attempt 2 (submit)" in out and "score: " in out and "→ 100" in out
    assert "adds_two_integers" in out and "\x1b[" not in out             # not a terminal: no colour codes


def test_a_narrow_terminal_gets_the_changes_below_the_table(grader, store, monkeypatch):
    solution(WRONG)
    grader("test")
    solution(RIGHT)
    grader("test")
    monkeypatch.setenv("COLUMNS", "60")
    out = grader("history")[1]
    assert "2: newly passing adds_two_integers" in out and max(map(len, out.splitlines())) <= 60


def test_a_regression_is_newly_failing(grader, store):
    solution(RIGHT)
    grader("test")
    solution(WRONG)
    grader("test")
    [group] = history_json(grader)["workspaces"]
    assert group["attempts"][1]["newly_failing"] == ["adds_two_integers"]
    assert group["first_pass"]["attempt"] == 1


def test_history_by_slug_shows_every_workspace_and_by_folder_only_those_below(grader, store, tmp_path, cli,
                                                                           challenges):  # noqa: F811
    solution(RIGHT)
    grader("test")
    other = tmp_path / "elsewhere" / "adder-again"
    cli("--challenges-dir", challenges, "start", "adder", other)
    assert cli("--challenges-dir", challenges, "test", other, "--sandbox", "process")[0] == 1   # the stub
    assert len(history_json(grader)["workspaces"]) == 1             # this folder: only ws
    assert len(history_json(grader, "adder")["workspaces"]) == 2
    os.chdir(tmp_path)
    assert len(history_json(grader)["workspaces"]) == 2             # both are below tmp


def test_an_empty_history_says_so(grader, store):
    code, out, _ = grader("history")
    assert code == 0 and "No attempts recorded for the workspaces at or below" in out
    assert history_json(grader)["workspaces"] == [] and not store.exists()   # reading makes no file


def test_history_off_records_nothing(grader, store, monkeypatch):
    monkeypatch.setenv("GRADER_HISTORY", "off")
    solution(RIGHT)
    code, out, err = grader("submit", "--format", "json")
    assert code == 0 and "hints_used" not in json.loads(out) and "warning" not in err
    code, _, err = grader("history")
    assert code == 2 and "The history is off" in err


@pytest.mark.parametrize("breakage", ["garbage", "another program's", "unwritable", "locked", "in the workspace"])
@pytest.mark.parametrize("code_is", ["right", "wrong"])
def test_a_broken_history_warns_and_never_changes_the_grade(grader, store, monkeypatch, tmp_path, breakage,
                                                            code_is):
    store.parent.mkdir(parents=True, exist_ok=True)
    if breakage == "garbage":
        store.write_bytes(b"this is not a database\n" * 100)
    elif breakage == "another program's":
        with sqlite3.connect(store) as other:
            other.execute("CREATE TABLE attempts (x)")
    elif breakage == "unwritable":
        (tmp_path / "a-file").write_text("")
        monkeypatch.setenv("GRADER_HISTORY", str(tmp_path / "a-file" / "history.sqlite"))   # even root cannot
    elif breakage == "in the workspace":
        monkeypatch.setenv("GRADER_HISTORY", str(tmp_path / "ws" / ".history.sqlite"))
    locker = None
    if breakage == "locked":
        assert grader("test")[0] == 1                     # (the stub) a real history, then held by another writer
        monkeypatch.setattr(history, "HISTORY_BUSY_SECONDS", 0.2)
        locker = sqlite3.connect(store, isolation_level=None)
        locker.execute("BEGIN EXCLUSIVE")
    before = store.read_bytes() if store.is_file() else None
    solution(RIGHT if code_is == "right" else WRONG)
    try:
        code, out, err = grader("submit", "--format", "json")
    finally:
        if locker is not None:
            locker.close()
    assert code == (0 if code_is == "right" else 1)
    assert json.loads(out)["verdict"] == ("pass" if code_is == "right" else "fail")
    [warning] = [line for line in err.splitlines() if "history" in line]
    assert warning.startswith("warning: this attempt was not recorded in the history: "), err
    assert "internal error" not in err
    if before is not None and breakage != "locked":
        assert store.read_bytes() == before               # left as it was
    if breakage == "in the workspace":
        assert not (tmp_path / "ws" / ".history.sqlite").exists()
        assert "inside" in warning and "handed in" in warning


def test_a_broken_history_file_is_a_clear_error_for_history_and_hint(grader, store):
    store.parent.mkdir(parents=True, exist_ok=True)
    store.write_bytes(b"\0garbage" * 64)
    for args in (("history",), ("hint",)):
        code, _, err = grader(*args)
        assert code == 2 and f"The history file {store} cannot be used" in err, err


def _report(index: int, verdict: str = "fail", message: str = "m") -> Report:
    return Report(challenge="adder", verdict=verdict, score=float(index % 100), max_score=100.0,
                  tests=(Result("adds_two_integers", "pass" if verdict == "pass" else "fail", message,
                                    "add(1, 2)" * 1000),),
                  complexity=(), rules=(), timed_out=False, memory_exceeded=False, sandbox="process", seed=index,
                  submission_sha256=f"{index:064x}")


WRITER = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from grader import history
from tests.test_history import _report
for index in range(int(sys.argv[2])):
    report, warning = history.record(_report(index), Path(sys.argv[1]), command="test")
    assert warning is None, warning
"""


def test_two_graders_writing_at_once_lose_nothing(store, tmp_path):
    workspaces = [tmp_path / "one", tmp_path / "two"]
    for folder in workspaces:
        folder.mkdir()
    root = str(Path(__file__).resolve().parents[1])
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(folder), "150", root], stderr=subprocess.PIPE,
                                env={**os.environ, "GRADER_HISTORY": str(store)}) for folder in workspaces]
    for writer in writers:
        assert writer.wait(timeout=120) == 0, writer.stderr.read().decode()
    with sqlite3.connect(store) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        counts = dict(connection.execute("SELECT workspace, count(*) FROM attempts GROUP BY workspace"))
    assert counts == {history.workspace_key(folder): 150 for folder in workspaces}


def test_stored_texts_and_attempts_are_capped(store, tmp_path, monkeypatch):
    monkeypatch.setattr(history, "HISTORY_MAX_ATTEMPTS", 5)
    workspace = tmp_path / "ws"
    workspace.mkdir()
    assert history.record(_report(0, "pass"), workspace, command="submit")[1] is None
    for index in range(1, 20):
        history.record(_report(index, message="x" * 100_000), workspace, command="test")
    kept = history.attempts(workspace=history.workspace_key(workspace))
    assert [attempt.seed for attempt in kept] == [0, 15, 16, 17, 18, 19]   # the last 5, and the first pass
    failure = kept[-1].failures[0]
    assert len(failure.message) < 700 and len(failure.counterexample) < 1600
    assert store.stat().st_size < 200_000


def test_hints_are_revealed_one_level_at_a_time_and_recorded(grader, store):
    code, _, err = grader("hint")
    assert code == 2 and "run `grader test` there first" in err
    solution(WRONG)
    grader("test")
    code, out, _ = grader("hint")
    assert code == 0
    assert "The contract says: add(a, b) returns a + b." in out and "add(-1, 0)" in out   # the shrunk example
    assert "Hint 1 of 2: Try a negative a." in out and "add returns a + b for every a" not in out
    code, out, _ = grader("hint")
    assert "Hint 1 of 2 (shown before): Try a negative a." in out and "Hint 2 of 2: add returns a + b" in out
    code, out, _ = grader("hint")
    assert code == 0 and "No hints left for adds_two_integers: all 2 shown." in out
    code, out, _ = grader("submit", "--format", "json")
    assert json.loads(out)["hints_used"] == 2
    assert "hints used: 2" in grader("test")[1]           # the text report says so too
    rows = sqlite3.connect(store).execute("SELECT test, level FROM hints ORDER BY id").fetchall()
    assert rows == [("adds_two_integers", 1), ("adds_two_integers", 2)]
    assert history_json(grader)["workspaces"][0]["hints_used"] == 2


def test_hint_after_a_pass_and_for_a_test_without_hints(grader, store):
    solution(RIGHT)
    grader("test")
    code, out, _ = grader("hint")
    assert code == 0 and "no hint needed" in out
    solution(RIGHT.replace("self.count += 1", "self.count += 2"))
    grader("test")
    code, out, _ = grader("hint")
    assert code == 0 and "Hint for counter_counts" in out and "wrote no hints for this test" in out
    assert sqlite3.connect(store).execute("SELECT count(*) FROM hints").fetchone() == (0,)


def test_hint_says_when_the_code_changed_since_the_attempt(grader, store):
    solution(WRONG)
    grader("test")
    solution(WRONG + "\n# edited\n")
    assert "Your code changed since that attempt" in grader("hint")[1]


def test_an_assessment_can_switch_hints_off(grader, store, tmp_path):
    solution(WRONG)
    (tmp_path / "grader.toml").write_text('[assessment]\nname = "Take-home"\nhints = false\n[challenges.adder]\n',
                                          encoding="utf-8")
    assert grader("test")[0] == 1
    code, out, err = grader("hint")
    assert code == 2 and "switches hints off (hints = false)" in err and "Hint 1" not in out
    (tmp_path / "grader.toml").write_text('[assessment]\nname = "Take-home"\n[challenges.adder]\n', encoding="utf-8")
    assert "Hint 1 of 2" in grader("hint")[1]


def test_hints_follow_the_assessments_feedback_level(grader, store, tmp_path):
    """Under feedback = summary the attempt's counterexample was not shown, so the hint does not show it either."""
    (tmp_path / "grader.toml").write_text('[assessment]\nname = "T"\nfeedback = "summary"\n[challenges.adder]\n',
                                          encoding="utf-8")
    solution(WRONG)
    grader("test")
    code, out, _ = grader("hint")
    assert code == 0 and "Hint 1 of 2: Try a negative a." in out and "add(-1" not in out


def test_validate_refuses_hints_for_a_test_that_does_not_exist(tmp_path, cli):  # noqa: F811
    challenges, reference = tmp_path / "challenges", tmp_path / "reference"
    shutil.copytree(FIXTURE_CHALLENGES / "adder", challenges / "adder")
    shutil.copytree(FIXTURE_CHALLENGES.parent / "reference" / "adder", reference / "adder")
    meta = challenges / "adder" / "challenge.toml"
    meta.write_text(meta.read_text(encoding="utf-8") + '\n[hints]\nadds_two_integerz = ["x"]\n', encoding="utf-8")
    code, out, _ = cli("--challenges-dir", challenges, "validate", "adder")
    assert code == 1, out
    assert f"{meta} has hints for 'adds_two_integerz' in [hints], which is not a hidden test" in out


def test_hints_leave_the_challenge_hash_alone_but_nothing_may_follow_them(tmp_path):
    folder = tmp_path / "challenges" / "adder"
    shutil.copytree(FIXTURE_CHALLENGES / "adder", folder)
    meta = folder / "challenge.toml"
    original = meta.read_text(encoding="utf-8")
    plain = Catalog([folder.parent]).get("adder").content_sha256()
    meta.write_text(original + HINTS, encoding="utf-8")
    hinted = Catalog([folder.parent]).get("adder")
    assert hinted.hints == {"adds_two_integers": ("Try a negative a.", "add returns a + b for every a.")}
    assert hinted.content_sha256() == plain
    meta.write_text(original.replace("adds_two_integers = 3", "adds_two_integers = 4") + HINTS, encoding="utf-8")
    assert Catalog([folder.parent]).get("adder").content_sha256() != plain
    meta.write_text(original.replace("[score.tests]", HINTS + "\n[score.tests]"), encoding="utf-8")
    catalog = Catalog([folder.parent])
    assert "not a [hints] table at the end of the file" in str(catalog.problems["adder"])


def test_a_grade_report_does_not_claim_a_hint_count(tmp_path, cli, store):  # noqa: F811
    """grader grade is the assessor's: the candidate's history is not theirs to read (hints_used absent)."""
    folder = tmp_path / "alice" / "adder"
    folder.mkdir(parents=True)
    (folder / "solution.py").write_text(RIGHT, encoding="utf-8")
    code, _, err = cli("--challenges-dir", FIXTURE_CHALLENGES, "grade", tmp_path / "alice", "--sandbox", "process",
                       "--jobs", "1", "--format", "jsonl", "--output-dir", tmp_path / "out", "--db",
                       tmp_path / "r.db")
    assert code == 0, err
    report = json.loads((tmp_path / "out" / "results.jsonl").read_text(encoding="utf-8"))
    assert "hints_used" not in report and not store.exists()


def test_every_built_in_hint_is_for_a_hidden_test_and_leaves_the_hash_alone():
    """grader validate checks the names too (against the stub's report); this is the quick look."""
    hinted = [challenge for challenge in Catalog().all() if challenge.hints]
    assert len(hinted) >= 11
    for challenge in hinted:
        source = "\n".join(path.read_text(encoding="utf-8") for path in challenge.tests_folder.glob("test_*.py"))
        for name, levels in challenge.hints.items():
            assert f"def test_{name}(" in source, (challenge.slug, name)
            assert 1 <= len(levels) <= 2 and all(20 < len(level) < 600 for level in levels)


def test_the_kit_readme_says_whether_hints_are_on(tmp_path, cli):  # noqa: F811
    for extra, says in (("", "`grader hint` shows the sentence"), ("hints = false\n", "`grader hint` is switched off")):
        (tmp_path / "grader.toml").write_text(f'[assessment]\nname = "T"\n{extra}[challenges.adder]\n',
                                              encoding="utf-8")
        kit = tmp_path / f"kit{len(extra)}"
        assert cli("--challenges-dir", FIXTURE_CHALLENGES, "kit", tmp_path / "grader.toml", "-o", kit)[0] == 0
        assert says in (kit / "README.md").read_text(encoding="utf-8")
