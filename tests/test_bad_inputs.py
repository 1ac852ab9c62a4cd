"""A file that is not what a command expects is bad input (exit 2, or a
failed report for verify) with a message saying what to give instead, never
an internal error, a codec error or a silent fallback (issue 13)."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest
from rich.console import Console

from grader.batch.store import Store
from grader.errors import GraderError
from tests.test_batch import CORRECT, grader, write



def _grader_database(path: Path) -> Path:
    """A database the way `grader grade` writes it, big enough to have data pages."""
    with Store(path) as store:
        for number in range(20):
            store.save((f"{number:064x}", "adder", 1, "0.0"), "{}",
                       {"verdict": "pass", "score": 1, "max_score": 1, "padding": "x" * 2000},
                       path=f"c{number}", started_at=0, finished_at=0, worker_pid=1)
    return path


def _not_ours(kind: str, path: Path) -> Path:
    if kind == "random bytes":
        path.write_bytes(bytes(range(256)) * 32)
    elif kind == "text":
        path.write_text("name,score\nalice,10\n")
    elif kind == "another program's database":
        with sqlite3.connect(path) as connection:
            connection.execute("CREATE TABLE invoices (id INTEGER, total REAL)")
    elif kind == "truncated grader database":
        whole = _grader_database(path.with_name("whole.db")).read_bytes()
        path.write_bytes(whole[: len(whole) // 2])
    return path


KINDS = ["random bytes", "text", "another program's database", "truncated grader database"]


@pytest.mark.parametrize("kind", KINDS)
def test_grade_refuses_a_db_that_is_not_its_own_and_leaves_it_untouched(tmp_path, kind):
    write(tmp_path / "subs" / "c0" / "adder", CORRECT)
    db = _not_ours(kind, tmp_path / "corrupt.db")
    before = db.read_bytes()
    result = grader("grade", "subs", "--db", "corrupt.db", "--sandbox", "process", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "corrupt.db is not a grader results database (" in result.stderr
    assert "give the file `grader grade --db` wrote, or a new name" in result.stderr
    assert db.read_bytes() == before


@pytest.mark.parametrize("kind", KINDS)
def test_merge_refuses_an_input_that_is_neither_a_database_nor_json_lines(tmp_path, kind):
    _not_ours(kind, tmp_path / "corrupt.db")
    result = grader("merge", "corrupt.db", "--format", "csv", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "corrupt.db" in result.stderr and "codec" not in result.stderr
    assert "not a grader results database" in result.stderr or "not a report of" in result.stderr
    assert "give the --db files or the results.jsonl files that `grader grade` wrote" in result.stderr


def test_merge_into_a_db_that_is_not_its_own_is_refused(tmp_path):
    source = _grader_database(tmp_path / "shard.db")
    _not_ours("random bytes", tmp_path / "target.db")
    with sqlite3.connect(source) as connection:
        connection.execute("INSERT INTO runs (shard, submissions_total, submissions_in_shard, grader_version, "
                           "settings, started_at) VALUES ('1/1', 0, 0, '0.0', '{}', 0)")
    result = grader("merge", "shard.db", "--db", "target.db", "--partial", cwd=tmp_path)
    assert result.returncode == 2 and "target.db is not a grader results database" in result.stderr


def test_an_empty_file_is_a_new_database_as_sqlite_takes_it(tmp_path):
    """`touch results.db` or a mktemp name: SQLite opens an empty file as a
    new database, so grade initialises it rather than refusing it."""
    write(tmp_path / "subs" / "c0" / "adder", CORRECT)
    (tmp_path / "empty.db").write_bytes(b"")
    result = grader("grade", "subs", "--db", "empty.db", "--sandbox", "process", "--no-complexity", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "empty.db") as connection:
        assert connection.execute("SELECT count(*) FROM results").fetchone() == (1,)


def test_damage_found_only_when_a_page_is_read_is_bad_input_too(tmp_path):
    """A damaged data page opens fine; the lookup that reads it said
    "database disk image is malformed" as an internal error (exit 3)."""
    db = _grader_database(tmp_path / "results.db")
    data = bytearray(db.read_bytes())
    data[4096:8192] = b"\xff" * 4096        # page 2: the results table's
    db.write_bytes(bytes(data))
    with Store(db) as store:
        with pytest.raises(GraderError, match="results.db is not a grader results database") as raised:
            store.lookup((f"{3:064x}", "adder", 1, "0.0"), "{}")
    assert raised.value.exit_code == 2


def test_merge_reads_a_database_whose_name_has_a_hash_sign(tmp_path):
    """A plain file: URI ended the name at '#' (then "no such table: paths")."""
    write(tmp_path / "subs" / "c0" / "adder", CORRECT)
    graded = grader("grade", "subs", "--db", "shard#1.db", "--sandbox", "process", "--no-complexity", cwd=tmp_path)
    assert graded.returncode == 0, graded.stderr
    result = grader("merge", "shard#1.db", "--format", "csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "subs/c0/adder,adder,pass" in result.stdout


# --- grader verify on what is not a report -----------------------------------------------------------------------

def test_verify_says_where_a_truncated_report_breaks_in_plain_words(tmp_path):
    from grader.verify import load_entries
    report = tmp_path / "report.json"
    report.write_text('{\n  "schema": 1,\n  "challenge": ')
    [entry] = load_entries(report)
    assert entry.problem.startswith("not valid JSON (line 3, column 16: Expecting value): the file was truncated")
    assert "grader submit --format json" in entry.problem
    lines = tmp_path / "results.jsonl"
    lines.write_text('{"schema": "unterminated\n')
    [entry] = load_entries(lines)
    assert "at at" not in entry.problem     # json's message ends in "starting at": it used to get a second "at"
    assert entry.problem.startswith("not valid JSON (Unterminated string starting at column 12)")


def test_verify_of_an_empty_or_binary_file_fails_that_report_with_what_to_give(tmp_path):
    (tmp_path / "empty.json").write_bytes(b"")
    (tmp_path / "binary.json").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (tmp_path / "cut.json").write_text('{"schema": 1, "verdict": "pa')
    env = {"GRADER_SIGNING_KEY": "k", "COLUMNS": "300"}
    result = grader("verify", "empty.json", "binary.json", "cut.json", cwd=tmp_path, env=env)
    assert result.returncode == 1, result.stderr      # three failed reports, not a usage error
    assert "codec" not in result.stdout + result.stderr and "at at" not in result.stdout
    assert "empty: no report in it" in result.stdout
    assert "not a report: not UTF-8 text (byte 0x89 at offset 0)" in result.stdout
    assert "not valid JSON (Unterminated string starting at line 1, column 26)" in result.stdout
    assert result.stdout.count("give the report `grader submit --format json` wrote") == 3


# --- --image under --sandbox auto ----------------------------------------------------------------------------------

def _auto(monkeypatch, why_not: str, **kwargs):
    from grader.sandbox import docker
    from grader.sandbox.select import get_backend
    monkeypatch.setattr(docker, "why_not_usable", lambda image=None: why_not)
    console = Console(file=io.StringIO(), width=300)
    backend = get_backend("auto", console=console, **kwargs)
    return backend.name, console.file.getvalue()


def test_auto_says_why_a_named_image_is_not_used(monkeypatch):
    monkeypatch.delenv("GRADER_IMAGE", raising=False)
    name, said = _auto(monkeypatch, "the Docker image no-such-image is not on the engine at unix:///x",
                       image="no-such-image")
    assert name == "process"
    assert said == ("note: the Docker image no-such-image is not on the engine at unix:///x, so the process "
                    "sandbox is used; pass --sandbox docker to insist (it pulls a missing image).\n")
    monkeypatch.setenv("GRADER_IMAGE", "no-such-image")
    assert "so the process sandbox is used" in _auto(monkeypatch, "no Docker engine answers at unix:///x")[1]


def test_auto_without_an_image_named_stays_quiet(monkeypatch):
    monkeypatch.delenv("GRADER_IMAGE", raising=False)
    assert _auto(monkeypatch, "no Docker engine answers at unix:///x") == ("process", "")


def test_submit_with_an_image_and_no_engine_says_so_on_stderr(tmp_path):
    write(tmp_path / "adder", CORRECT)
    env = {"DOCKER_HOST": f"unix://{tmp_path}/no-engine.sock", "GRADER_IMAGE": ""}
    named = grader("submit", "adder", "--image", "no-such-image", "--format", "json", "--no-complexity",
                   cwd=tmp_path, env=env)
    assert named.returncode == 0, named.stderr
    assert json.loads(named.stdout)["verdict"] == "pass"      # stdout stays the report alone
    assert f"no Docker engine answers at unix://{tmp_path}/no-engine.sock, so the process sandbox is used" \
        in named.stderr
    plain = grader("submit", "adder", "--format", "json", "--no-complexity", cwd=tmp_path, env=env)
    assert plain.returncode == 0 and "process sandbox is used" not in plain.stderr
