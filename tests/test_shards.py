"""`grader grade --shard I/N` and `grader merge`: a batch spread over a CI
matrix is graded exactly once, and a missing shard is noticed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader.batch.shard import Shard, parse_shard, select
from grader.errors import UsageError
from tests.test_batch import CORRECT, WRONG, grader, rows, write


class Item:
    def __init__(self, slug: str, sha256: str):
        self.challenge = type("C", (), {"slug": slug})()
        self.sha256 = sha256


def test_shard_specs_are_parsed_and_bad_ones_explained():
    assert parse_shard("2/4") == Shard(2, 4) and str(parse_shard(" 1 / 3 ")) == "1/3"
    for bad in ("0/4", "5/4", "2", "a/b", "", "1/0"):
        with pytest.raises(UsageError, match="I/N"):
            parse_shard(bad)


def test_shards_cover_everything_once_balanced_and_keep_duplicates_together():
    items = [Item("adder", f"{n:064x}") for n in range(23)] + [Item("adder", f"{3:064x}")]   # a copy of #3
    slices = [select(items, Shard(i, 4)) for i in range(1, 5)]
    assert sum(len(s) for s in slices) == len(items)
    assert {id(x) for s in slices for x in s} == {id(x) for x in items}
    assert max(len(s) for s in slices) - min(len(s) for s in slices) <= 2
    holding_3 = [s for s in slices if any(x.sha256 == f"{3:064x}" for x in s)]
    assert len(holding_3) == 1 and sum(x.sha256 == f"{3:064x}" for x in holding_3[0]) == 2
    reordered = [select(list(reversed(items)), Shard(i, 4)) for i in range(1, 5)]
    assert [{id(x) for x in s} for s in reordered] == [{id(x) for x in s} for s in slices]


def _batch(root: Path) -> None:
    for index in range(5):
        write(root / "subs" / f"c{index}" / "adder", (CORRECT if index % 2 == 0 else WRONG) + f"# {index}\n")


def test_three_shards_merge_into_one_result_per_submission(tmp_path):
    _batch(tmp_path)
    for index in (1, 2, 3):
        result = grader("grade", "subs", "--shard", f"{index}/3", "--db", f"shard{index}.db", "--sandbox", "process",
                        "--jobs", "1", cwd=tmp_path)
        assert result.returncode in (0, 1), result.stderr
        assert f"(shard {index}/3 of 5)" in result.stderr
    graded = sum(rows(tmp_path / f"shard{i}.db", "SELECT count(*) FROM gradings")[0][0] for i in (1, 2, 3))
    assert graded == 5

    merged = grader("merge", "shard1.db", "shard2.db", "shard3.db", "--db", "all.db", "--format", "jsonl",
                    cwd=tmp_path)
    assert merged.returncode == 1, merged.stderr    # two submissions fail
    reports = [json.loads(line) for line in merged.stdout.splitlines()]
    assert [r["submission"] for r in reports] == [f"subs/c{i}/adder" for i in range(5)]
    assert [r["verdict"] for r in reports] == ["pass", "fail", "pass", "fail", "pass"]
    assert grader("merge", "shard1.db", "shard2.db", "shard3.db", "--min-score", "0", cwd=tmp_path).returncode == 0

    # The merged database is complete: grading against it grades nothing.
    again = grader("grade", "subs", "--db", "all.db", "--sandbox", "process", cwd=tmp_path)
    assert "5 already graded" in again.stderr and "0 graded now" in again.stderr

    # JSON lines merge too.
    for index in (1, 2):
        grader("merge", f"shard{index}.db", "--partial", "--format", "jsonl", "--output-dir", f"out{index}",
               cwd=tmp_path)
    from_jsonl = grader("merge", "out1/results.jsonl", "out2/results.jsonl", "--format", "csv", cwd=tmp_path)
    assert from_jsonl.stdout.count("subs/c") == len(reports) - rows(tmp_path / "shard3.db",
                                                                    "SELECT count(*) FROM results")[0][0]


def test_a_missing_shard_or_a_missing_result_is_reported_and_nothing_written(tmp_path):
    _batch(tmp_path)
    grader("grade", "subs", "--shard", "1/2", "--db", "one.db", "--sandbox", "process", cwd=tmp_path)
    missing = grader("merge", "one.db", "--format", "csv", "--output-dir", "out", cwd=tmp_path)
    assert missing.returncode == 1 and "shard(s) 2/2 missing" in missing.stderr
    assert not (tmp_path / "out").exists()
    partial = grader("merge", "one.db", "--partial", "--format", "csv", "--output-dir", "out", cwd=tmp_path)
    assert partial.returncode == 1 and (tmp_path / "out" / "results.csv").exists()

    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("hello\n")
    usage = grader("merge", "notes.txt", cwd=tmp_path)
    assert usage.returncode == 2 and "not a report" in usage.stderr and "Traceback" not in usage.stderr


def test_merging_shards_of_an_assessment_gives_each_candidates_total(tmp_path):
    """Shards hold only some candidates' work, so totals come from the merge."""
    (tmp_path / "grader.toml").write_text('[assessment]\nname = "Adder take-home"\nfeedback = "summary"\n\n'
                                          '[challenges.adder]\nweight = 1\n')
    write(tmp_path / "subs" / "alice" / "adder", CORRECT + "# alice\n")
    write(tmp_path / "subs" / "bob" / "adder", WRONG + "# bob\n")
    for index in (1, 2):
        grader("grade", "subs", "--assessment", "grader.toml", "--shard", f"{index}/2", "--db", f"s{index}.db",
               "--sandbox", "process", cwd=tmp_path)
    merged = grader("merge", "s1.db", "s2.db", "--assessment", "grader.toml", "--format", "jsonl",
                    "--output-dir", "out", cwd=tmp_path)
    assert merged.returncode == 1, merged.stderr     # bob's fails
    totals = (tmp_path / "out" / "assessment.csv").read_text().splitlines()
    assert totals[0].startswith("candidate") and len(totals) == 3
    assert any(line.startswith("subs/alice,") and line.endswith(",100") for line in totals), totals
    assert any(line.startswith("subs/bob,") for line in totals)
    reports = [json.loads(line) for line in (tmp_path / "out" / "results.jsonl").read_text().splitlines()]
    assert {r["feedback"] for r in reports} == {"summary"}        # the assessment's level applies
    assert all(t["counterexample"] == "" for r in reports for t in r["correctness"]["tests"])
