"""Hostile review of issues 15 and 16 (similarity, history, hints, watch):
each test here demonstrates a problem (it fails until the problem is fixed)."""

from __future__ import annotations

import ast
import json
import shutil
import sqlite3
import textwrap

import pytest

from grader import history
from grader.similarity import compare, fingerprint_files
from tests.conftest import FIXTURE_CHALLENGES
from tests.test_history import _report
from tests.test_messages import cli  # noqa: F401 - the fixture


# -- history: an edited row made `grader history` and `grader hint` an internal error (exit 3) ----------

@pytest.mark.parametrize("edit", ["recorded_at = 'yesterday'", "recorded_at = 1e300", "score = 'x'",
                                  "verdict = x'00'", "seed = 'x'"])
def test_an_edited_history_row_is_never_an_internal_error(cli, tmp_path, monkeypatch, edit):  # noqa: F811
    store = tmp_path / "state" / "history.sqlite"
    monkeypatch.setenv("GRADER_HISTORY", str(store))
    challenges = tmp_path / "challenges"
    shutil.copytree(FIXTURE_CHALLENGES / "adder", challenges / "adder")
    meta = challenges / "adder" / "challenge.toml"
    meta.write_text(meta.read_text(encoding="utf-8") + '\n[hints]\nadds_two_integers = ["a", "b"]\n',
                    encoding="utf-8")
    assert cli("--challenges-dir", challenges, "start", "adder", tmp_path / "ws")[0] == 0
    monkeypatch.chdir(tmp_path / "ws")
    for index in range(2):
        assert history.record(_report(index), tmp_path / "ws", command="test")[1] is None
    with sqlite3.connect(store) as connection:
        connection.execute(f"UPDATE attempts SET {edit} WHERE id = 1")
        connection.execute("INSERT INTO hints (workspace, challenge, test, level, shown_at, attempt_id) "
                           "VALUES (?, 'adder', 'adds_two_integers', 'x', 0, 2)",
                           (history.workspace_key(tmp_path / "ws"),))
    for args in (("history",), ("history", "--format", "json"), ("hint",)):
        code, out, err = cli("--challenges-dir", challenges, *args)
        assert code == 0, (args, err)
        assert "internal error" not in err
    assert "Hint 1 of 2" in out          # the damaged hint row is not a level shown


# -- similarity: the score divides by the smaller side, so one shared line was a 1.0 "likely copy" -------

ONE_LINERS = {"ana": 'def reverse_string(s: str) -> str:\n    return s[::-1]\n',
              "bo": 'def reverse_string(s: str) -> str:\n    """Reversed."""\n    return s[::-1]  # slicing\n',
              "chen": 'def reverse_string(s: str) -> str:\n\n    return s[::-1]\n'}


def test_independent_one_liners_in_the_stubs_signature_are_not_flagged_as_copies(cli, tmp_path):  # noqa: F811
    """Three candidates (and the reference) write the obvious reverse-string: one fingerprint each beyond
    the stub, the same one. It scored 1.0 for every pair and put them all in one cluster."""
    for name, text in ONE_LINERS.items():
        folder = tmp_path / "batch" / name / "reverse-string"
        folder.mkdir(parents=True)
        (folder / "solution.py").write_text(text, encoding="utf-8")
    code, out, err = cli("similarity", tmp_path / "batch", "--format", "json")
    assert code == 0, err
    [challenge] = json.loads(out)["challenges"]
    assert challenge["pairs"], "they do share the line: the pairs are listed"
    assert all(pair["score"] < 0.5 for pair in challenge["pairs"]), challenge["pairs"]
    assert challenge["clusters"] == []


# -- similarity: a damaged fingerprints row in a batch database was an internal error (exit 3) -----------

def test_a_damaged_fingerprints_row_is_never_an_internal_error(tmp_path):
    """Every `grader grade` reads the fingerprints table (not only with --similarity), and merge reads the
    shards': text that is not JSON there made both exit 3. Grade makes the row again; merge says which
    submission it could not compare."""
    from tests.test_batch import CORRECT, grader, rows, write
    for name in ("alice", "bob"):       # the same code: one row for both
        write(tmp_path / "subs" / name / "adder", CORRECT)
    assert grader("grade", "subs", "--db", "r.db", "--sandbox", "process", cwd=tmp_path).returncode == 0
    connection = sqlite3.connect(tmp_path / "r.db")
    with connection:
        connection.execute("UPDATE fingerprints SET fingerprints = '{damaged', files = '[1'")
    connection.close()          # the last connection: its write-ahead log goes into the file copied
    shutil.copy(tmp_path / "r.db", tmp_path / "shard.db")
    merged = grader("merge", "shard.db", "--similarity", "--format", "jsonl", "--output-dir", "m", cwd=tmp_path)
    assert merged.returncode == 0, merged.stderr
    assert "internal error" not in merged.stderr and "2 submission(s) not compared" in merged.stderr
    reasons = [item["reason"] for item in json.loads((tmp_path / "m" / "similarity.json").read_text())
               ["challenges"][0]["not_compared"]]
    assert reasons and all("stored fingerprints are damaged" in reason for reason in reasons)
    graded = grader("grade", "subs", "--db", "r.db", "--sandbox", "process", "--similarity", cwd=tmp_path)
    assert graded.returncode == 0, graded.stderr
    assert "cluster 1: reference: adder, subs/alice/adder, subs/bob/adder" in graded.stderr
    assert rows(tmp_path / "r.db", "SELECT count(*) FROM fingerprints WHERE fingerprints LIKE '{\"k\"%'") == [(1,)]


# -- similarity: a `pass` (or a print) after every statement hid a copy (score about 0.3) ----------------

def _after_every_statement(source: str, statement: str) -> str:
    out = []
    for line in source.splitlines():
        out.append(line)
        stripped = line.strip()
        if (stripped and not stripped.startswith(("#", "@", '"', "'", "return", "raise", "else", "elif", "except",
                                                  "finally", "continue", "break"))
                and not stripped.endswith((":", ",", "(", "[", "{", "\\"))):
            out.append(line[:len(line) - len(line.lstrip())] + statement)
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("statement", ["pass", "print()", "print('step', end='')"])
def test_a_no_op_after_every_statement_does_not_hide_a_copy(statement):
    from tests.test_similarity import ORIGINAL, _score
    disguised = _after_every_statement(ORIGINAL, statement)
    ast.parse(disguised)
    assert disguised.count(statement) > 20
    assert _score(ORIGINAL, disguised) >= 0.9


# -- similarity HTML: \x0c or \u2028 in a comment moved every mark off the line it matched ---------------

def test_the_side_by_side_marks_the_lines_that_matched_whatever_the_comments_hold():
    """splitlines() splits at \\x0c and \\u2028 too, tokenize (whose line numbers the ranges are) does not:
    thirty such comments at the top of a copy put the marks thirty lines away from the code that matched."""
    import html
    import re
    from grader.similarity import html as similarity_html
    from tests.test_similarity import ORIGINAL
    disguised = ORIGINAL.replace("\n", "  # \x0c\u2028\n", 30)
    pair = compare({"a": fingerprint_files({"solution.py": ORIGINAL}),
                    "b": fingerprint_files({"solution.py": disguised})}).pairs[0]
    shown = similarity_html._code({"solution.py": disguised}, pair.ranges_b)
    marked = {int(number): html.unescape(text) for number, text in
              re.findall(r'<span class="hit"><b>(\d+)</b>(.*?)</span>', shown)}
    lines = disguised.split("\n")
    assert marked and all(text == lines[number - 1] for number, text in marked.items())
    first = min(marked)
    assert marked[first].lstrip().split("  #")[0] == ORIGINAL.split("\n")[first - 1].lstrip()


def test_the_fallback_lexer_numbers_lines_as_tokenize_does():
    """After a syntax error the regular-expression lexer took over at the wrong line (splitlines() again):
    the code before it was read twice and every later line misnumbered."""
    from grader.similarity.tokens import tokens
    text = "total = 1  # \x0c\u2028\n" * 5 + "def broken(:\n" + "answer = sorted(total)\n"
    found = tokens(text)
    assert [item.line for item in found if item.text == "sorted"] == [7]
    assert sum(1 for item in found if item.text == "=") == 6


# -- similarity: every pair of two known solutions was counted, then thrown away (K*K for a --known corpus) -

def test_a_big_folder_of_known_solutions_costs_what_it_shares_with_the_submissions():
    """3,000 earlier-year solutions sharing 20 fingerprints are 4.5 million known-known pairs, 90 million
    counts: minutes and gigabytes, for pairs that are never reported."""
    import time
    from grader.similarity import Fingerprint, Fingerprints
    shared = tuple(Fingerprint(10**12 + number, "solution.py", number, number + 1, number + 1) for number in range(20))
    prints = Fingerprints(entries=shared, tokens={"solution.py": 40})
    known = {f"known: {number}": prints for number in range(3000)}
    started = time.perf_counter()
    result = compare({"candidate": prints}, known)
    assert time.perf_counter() - started < 3
    assert len(result.pairs) == 3000 and all(pair.a == "candidate" and pair.b_known for pair in result.pairs)


# -- similarity HTML: every pair was a table row (a batch of a small problem pairs thousands) -----------

def test_the_html_table_of_pairs_is_bounded():
    """Seven idioms, each written by 10 of 70 candidates (no more than a crowd), are 315 pairs: the page listed
    each, without bound (with 1,000 candidates: a page of tens of megabytes)."""
    from grader.similarity import Fingerprint, Fingerprints
    from grader.similarity import html as similarity_html
    from grader.similarity.report import ChallengeSimilarity, SimilarityReport

    def prints(value):
        return Fingerprints(entries=(Fingerprint(value, "solution.py", 0, 1, 1),), tokens={"solution.py": 12})
    submissions = {f"s{number:02}": prints(1 + number // 10) for number in range(70)}
    result = compare(submissions, min_score=0)
    assert len(result.pairs) == 315
    page = similarity_html.section(SimilarityReport((ChallengeSimilarity("adder", result, {}, (), ()),),
                                                    0.5, 12, 8))
    assert page.count("<tr>") <= similarity_html.MAX_ROWS + 1
    assert f"{315 - similarity_html.MAX_ROWS} more pair(s)" in page


# -- history: no $HOME (a container's user without a passwd entry) made grader test an internal error ----

def test_no_home_folder_is_a_warning_for_test_and_a_clear_error_for_history(cli, tmp_path, monkeypatch):  # noqa: F811
    import pwd

    def no_entry(uid):
        raise KeyError(f"getpwuid(): uid not found: {uid}")
    for name in ("GRADER_HISTORY", "XDG_STATE_HOME", "HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(pwd, "getpwuid", no_entry)
    monkeypatch.chdir(tmp_path)
    report, warning = history.record(_report(1), tmp_path, command="test")
    assert report == _report(1) and "not recorded" in warning and "GRADER_HISTORY" in warning
    code, _, err = cli("history")
    assert code == 2 and "internal error" not in err and "$HOME is not set" in err


def test_stored_fingerprints_naming_a_file_not_listed_are_damaged_not_an_internal_error():
    """Valid JSON of the wrong shape (an entry's file number past the list) raised IndexError, which the
    readers of the batch database do not expect: grader merge --similarity exited 3."""
    from grader.similarity.stored import _entry
    data = {"k": 12, "window": 8, "files": ["solution.py"], "tokens": [3], "entries": [["00ff", 5, 0, 1, 1]]}
    entry = _entry("alice", "adder", (data, {"solution.py": "x = 1\n"}, ""))
    assert entry.fingerprints is None and "damaged" in entry.problem
