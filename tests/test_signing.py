"""Signed reports and ``grader verify``: round trip, tampering, keys, re-grading."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from grader import signing
from tests.conftest import FIXTURE_CHALLENGES

ROOT = Path(__file__).resolve().parents[1]
CORRECT = ROOT / "tests" / "fixtures" / "reference" / "adder" / "solution.py"
WRONG = ROOT / "tests" / "fixtures" / "reference" / "adder" / "mutants" / "subtracts.py"
FAST = ("--sandbox", "process", "--no-complexity")
KEY = "s3cret-for-tests"
ASSESSMENT = '[assessment]\nname = "Signed"\nfeedback = "summary"\n[challenges.adder]\nmemory_mb = 300\n'


def grader(*args: str, cwd: Path | None = None, key: str | None = KEY) -> subprocess.CompletedProcess:
    env = {name: value for name, value in os.environ.items() if name != signing.ENV_VAR}
    env["NO_COLOR"] = "1"
    env["COLUMNS"] = "200"
    if key is not None:
        env[signing.ENV_VAR] = key
    return subprocess.run([sys.executable, "-m", "grader", "--challenges-dir", str(FIXTURE_CHALLENGES), *args],
                          capture_output=True, text=True, cwd=cwd or ROOT, env=env, timeout=180)


def workspace(root: Path, source: Path, name: str = "adder") -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "solution.py").write_bytes(source.read_bytes())
    (folder / ".grader.toml").write_text('challenge = "adder"\n')
    return folder


def submit_json(tmp_path: Path, source: Path = CORRECT, *extra: str, key: str | None = KEY) -> tuple[Path, Path]:
    folder = workspace(tmp_path, source)
    out = tmp_path / "report.json"
    result = grader("submit", str(folder), "--format", "json", "--output", str(out), *FAST, *extra, key=key)
    assert result.returncode in (0, 1), result.stderr
    return folder, out


# --- the signature itself ----------------------------------------------------------------------------------------

def test_sign_and_verify_round_trip_whatever_the_layout():
    report = {"b": 1, "a": [1.5, "é"], "score": 80.0}
    signed = signing.sign(report, b"k")
    assert signed["signature"]["algorithm"] == "hmac-sha256"
    assert signed["signature"]["key_id"] == hashlib.sha256(b"k").hexdigest()[:16]
    reread = json.loads(json.dumps(dict(reversed(list(signed.items()))), indent=4, ensure_ascii=True))
    assert signing.verify(reread, b"k").ok
    assert signing.sign(signed, b"k") == signed            # re-signing replaces, never nests


def test_tampering_another_key_and_no_signature_each_fail_with_their_reason():
    signed = signing.sign({"score": 40.0, "verdict": "fail"}, b"k")
    assert not (check := signing.verify({**signed, "score": 100.0}, b"k")).ok and "does not match" in check.message
    other = signing.verify(signed, b"other")
    assert not other.ok and signed["signature"]["key_id"] in other.message and signing.key_id(b"other") in other.message
    unsigned = signing.verify({"score": 40.0}, b"k")
    assert not unsigned.ok and "not signed" in unsigned.message
    forged = {**signed, "signature": {**signed["signature"], "value": "0" * 64}}
    assert "does not match" in signing.verify(forged, b"k").message


def test_publish_redacts_before_signing_and_drops_a_stale_signature(monkeypatch):
    report = {"schema": 1, "challenge": "adder", "verdict": "fail", "message": "m", "score": 25.0, "max_score": 100.0,
              "correctness": {"passed": 0, "failed": 1, "tests": [{"name": "t", "status": "fail", "message": "x",
                                                                   "counterexample": "add(0, 1)", "description": ""}]},
              "bonus": {"passed": 0, "total": 0, "tests": []}, "complexity": [], "rules": [],
              "limits": {"timed_out": False, "memory_exceeded": False}, "sandbox": "process", "seed": 0,
              "submission_sha256": "s", "output": ""}
    monkeypatch.setenv(signing.ENV_VAR, "k")
    shown = signing.publish(report, "summary", "cand/adder")
    assert shown["submission"] == "cand/adder" and shown["feedback"] == "summary"
    assert "add(0, 1)" not in json.dumps(shown) and signing.verify(shown, b"k").ok
    monkeypatch.delenv(signing.ENV_VAR)
    assert signing.publish(shown, "summary", "cand/adder") == shown        # unchanged: the signature stays valid
    assert "signature" not in signing.publish(shown, "summary", "elsewhere/adder")   # changed: dropped
    assert "signature" not in signing.publish(shown, "none")


# --- submit and verify -----------------------------------------------------------------------------------------

def test_a_signed_submit_report_verifies_and_an_edited_one_does_not(tmp_path):
    _, out = submit_json(tmp_path, WRONG)
    report = json.loads(out.read_text())
    assert report["signature"]["key_id"] == signing.key_id(KEY.encode())
    ok = grader("verify", str(out))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "valid signature" in ok.stdout and "1 verified, 0 failed" in ok.stdout

    report["score"] = 100.0
    out.write_text(json.dumps(report, indent=2))
    tampered = grader("verify", str(out))
    assert tampered.returncode == 1 and "signature does not match" in tampered.stdout


def test_another_key_missing_key_and_an_unsigned_report(tmp_path):
    _, out = submit_json(tmp_path)
    wrong = grader("verify", str(out), key="another key")
    assert wrong.returncode == 1 and "signed with another key" in wrong.stdout
    assert signing.key_id(KEY.encode()) in wrong.stdout
    missing = grader("verify", str(out), key=None)
    assert missing.returncode == 2 and "GRADER_SIGNING_KEY is not set" in missing.stderr
    nothing = grader("verify", str(tmp_path / "nope.json"))
    assert nothing.returncode == 2 and "does not exist" in nothing.stderr

    unsigned = tmp_path / "unsigned"
    unsigned.mkdir()
    _, plain = submit_json(unsigned, key=None)
    assert "signature" not in json.loads(plain.read_text())
    result = grader("verify", str(plain))
    assert result.returncode == 1 and "not signed" in result.stdout


def test_a_report_for_other_hidden_tests_fails_and_another_grader_version_warns(tmp_path):
    _, out = submit_json(tmp_path)
    report = json.loads(out.read_text())
    other_tests = tmp_path / "other-tests.json"
    other_tests.write_text(json.dumps(signing.sign({**report, "challenge_sha256": "0" * 64}, KEY.encode())))
    result = grader("verify", str(other_tests))
    assert result.returncode == 1 and "other hidden tests" in result.stdout
    old = tmp_path / "old.json"
    old.write_text(json.dumps(signing.sign({**report, "grader_version": "0.0.1"}, KEY.encode())))
    warned = grader("verify", str(old))
    assert warned.returncode == 0 and "warn" in warned.stdout and "0.0.1" in warned.stdout


def test_regrade_passes_for_an_honest_report_and_fails_when_the_submission_changed(tmp_path):
    folder, out = submit_json(tmp_path, WRONG, "--seed", "3")
    honest = grader("verify", str(out), "--regrade", str(folder), *FAST[:2])
    assert honest.returncode == 0, honest.stdout + honest.stderr
    assert "same submission, verdict (fail), score (25)" in honest.stdout

    (folder / "solution.py").write_bytes(CORRECT.read_bytes())      # fixed after the report was written
    changed = grader("verify", str(out), "--regrade", str(folder), *FAST[:2])
    assert changed.returncode == 1
    assert "the submission changed" in changed.stdout
    for line in ("verdict", "score", "test adds_two_integers"):
        assert line in changed.stdout
    assert "fail" in changed.stdout and "pass" in changed.stdout


# --- grade, the database and assessments -----------------------------------------------------------------------

def test_grade_signs_every_jsonl_line_and_the_database_and_regrades_a_folder(tmp_path):
    batch = tmp_path / "batch"
    workspace(batch / "alice", CORRECT)
    workspace(batch / "bob", WRONG)
    (tmp_path / "take-home.toml").write_text(ASSESSMENT)
    mine = ("--assessment", "take-home.toml")
    db = tmp_path / "r.db"
    result = grader("grade", "batch", "--db", str(db), "--jobs", "1", "--format", "jsonl", "--format", "csv",
                    "--output-dir", "results", *mine, *FAST, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    lines = [json.loads(line) for line in (tmp_path / "results" / "results.jsonl").read_text().splitlines()]
    assert [line["submission"] for line in lines] == ["batch/alice/adder", "batch/bob/adder"]
    assert all(line["feedback"] == "summary" and signing.verify(line, KEY.encode()).ok for line in lines)
    with sqlite3.connect(db) as connection:
        stored = [json.loads(row[0]) for row in connection.execute("SELECT report FROM results")]
    assert len(stored) == 2 and all(signing.verify(report, KEY.encode()).ok for report in stored)

    verified = grader("verify", "results/results.jsonl", "--regrade", "batch", "--sandbox", "process",
                      *mine, cwd=tmp_path)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert verified.stdout.count("same submission") == 2 and "2 verified, 0 failed" in verified.stdout
    assert 'the assessment "Signed"' in verified.stdout

    # Without a key, stored reports re-render unsigned rather than with a signature that no longer fits.
    unsigned = grader("grade", "batch", "--db", str(db), "--format", "jsonl", *mine, *FAST, cwd=tmp_path, key=None)
    assert all("signature" not in json.loads(line) for line in unsigned.stdout.splitlines())
    resigned = grader("grade", "batch", "--db", str(db), "--format", "jsonl", *mine, *FAST, cwd=tmp_path)
    assert all(signing.verify(json.loads(line), KEY.encode()).ok for line in resigned.stdout.splitlines())

    # A line edited after the fact, and an assessment file other than the one graded under.
    edited = tmp_path / "edited.jsonl"
    edited.write_text("\n".join([json.dumps(lines[0]), json.dumps({**lines[1], "score": 100.0}), "{truncated"]))
    bad = grader("verify", str(edited), cwd=tmp_path)
    assert bad.returncode == 1 and "does not match" in bad.stdout and "not valid JSON" in " ".join(bad.stdout.split())
    assert "1 verified, 2 failed" in bad.stdout
    (tmp_path / "other.toml").write_text(ASSESSMENT.replace("300", "310"))
    other = grader("verify", "results/results.jsonl", "--assessment", "other.toml", cwd=tmp_path)
    assert other.returncode == 1 and "other limits or weights may have applied" in other.stdout


def test_regrade_of_a_path_no_report_is_for_is_a_usage_error(tmp_path):
    batch = tmp_path / "batch"
    workspace(batch / "alice", CORRECT)
    workspace(batch / "bob", CORRECT)
    result = grader("grade", "batch", "--db", str(tmp_path / "r.db"), "--format", "jsonl", "--output-dir", "out",
                    *FAST, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    missing = grader("verify", "out/results.jsonl", "--regrade", "elsewhere", cwd=tmp_path)
    assert missing.returncode == 2 and "none of the 2 reports" in missing.stderr
    partial = grader("verify", "out/results.jsonl", "--regrade", "batch/alice", "--sandbox", "process", cwd=tmp_path)
    assert partial.returncode == 0, partial.stdout
    assert "not re-graded" in partial.stdout and partial.stdout.count("same submission") == 1


@pytest.mark.parametrize("level", ["summary", "none"])
def test_regrade_compares_what_a_redacted_report_holds(tmp_path, level):
    folder, out = submit_json(tmp_path, WRONG, "--feedback", level)
    assert json.loads(out.read_text())["feedback"] == level
    result = grader("verify", str(out), "--regrade", str(folder), "--sandbox", "process")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_truncated_report_is_one_failure_and_json_lines_are_read_line_by_line(tmp_path):
    from grader.verify import load_entries
    report = {"schema": 1, "challenge": "adder", "verdict": "pass", "score": 100.0}
    truncated = tmp_path / "report.json"
    truncated.write_text(json.dumps(report, indent=2)[:-10])
    [entry] = load_entries(truncated)
    assert entry.report is None and "not valid JSON" in entry.problem and "truncated" in entry.problem
    lines = tmp_path / "lines.json"          # JSON lines, whatever the suffix
    lines.write_text(json.dumps(report) + "\n" + json.dumps(report) + "\n")
    assert [e.source for e in load_entries(lines)] == [f"{lines}:1", f"{lines}:2"]
    assert "not a grader report: no max_score, correctness" in load_entries(lines)[0].problem


def test_regrade_never_takes_a_grader_toml_inside_its_path_and_only_a_signed_one_above(tmp_path):
    """verify --regrade PATH: a kit's grader.toml at or below PATH is the candidate's and is never used; one
    strictly above PATH is used only when `grader kit` signed it with the key and the report records it."""
    (tmp_path / "take-home").mkdir()
    (tmp_path / "take-home" / "grader.toml").write_text(ASSESSMENT)
    assert grader("kit", "take-home/grader.toml", "--output", "kit", cwd=tmp_path).returncode == 0
    for name in ("alice", "bob"):
        kit = tmp_path / "received" / name
        (kit / "adder").mkdir(parents=True)
        (kit / "grader.toml").write_bytes((tmp_path / "kit" / "grader.toml").read_bytes())
        (kit / "adder" / ".grader.toml").write_bytes((tmp_path / "kit" / "adder" / ".grader.toml").read_bytes())
        (kit / "adder" / "solution.py").write_bytes(CORRECT.read_bytes())
    alice_toml = tmp_path / "received" / "alice" / "grader.toml"
    alice_toml.write_text(alice_toml.read_text().replace("memory_mb = 300", "memory_mb = 4096"))
    graded = grader("grade", "received", "--assessment", "take-home/grader.toml", "--db", "r.db", "--format",
                    "jsonl", "--output-dir", "out", *FAST, cwd=tmp_path)
    assert graded.returncode == 0, graded.stderr

    inside = grader("verify", "out/results.jsonl", "--regrade", "received", "--sandbox", "process", cwd=tmp_path)
    assert inside.returncode == 0, inside.stdout + inside.stderr
    [warning] = [line for line in inside.stderr.splitlines() if "not applied" in line]
    assert "received/alice/grader.toml" in warning and "received/bob/grader.toml" in warning
    assert inside.stdout.count("not found unchanged above the re-graded PATH") == 2

    above = grader("verify", "out/results.jsonl", "--regrade", "received/bob/adder", "--sandbox", "process",
                   cwd=tmp_path)
    assert above.returncode == 0, above.stdout + above.stderr
    assert 'the assessment "Signed"' in above.stdout                        # bob's untouched, signed kit copy

    edited = grader("verify", "out/results.jsonl", "--regrade", "received/alice/adder", "--sandbox", "process",
                    cwd=tmp_path)
    assert edited.returncode == 2 and "was edited or not made by `grader kit` with your key" in edited.stderr
