"""`grader similarity`, `grader grade --similarity` and `grader merge --similarity`: formats, exit codes,
the batch database (resumed and sharded runs give the same report), and the assessor-only rule."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

from tests.test_batch import CORRECT, grader, rows, write

FIXTURES = Path(__file__).parent / "fixtures" / "similarity"
ROOT = Path(__file__).resolve().parents[1]
ORIGINAL = (ROOT / "reference" / "min-heap" / "solution.py").read_text()


def _batch(root: Path) -> None:
    """Five adder submissions: alice and bob share a min-heap (bob's renamed), carol's is her own, dave
    handed in the reference, erin's file is not UTF-8."""
    write(root / "subs" / "alice" / "adder", ORIGINAL)
    write(root / "subs" / "bob" / "adder", (FIXTURES / "renamed.py").read_text())
    write(root / "subs" / "carol" / "adder", (FIXTURES / "independent.py").read_text())
    write(root / "subs" / "dave" / "adder", CORRECT)
    folder = write(root / "subs" / "erin" / "adder", CORRECT)
    (folder / "solution.py").write_bytes(CORRECT.encode() + b"\n# caf\xe9\n")


def test_similarity_ranks_the_copy_first_in_every_format(tmp_path):
    _batch(tmp_path)
    text = grader("similarity", "subs", cwd=tmp_path)
    assert text.returncode == 0, text.stderr
    assert "cluster 1: reference: adder, subs/dave/adder" in text.stdout
    assert "cluster 2: subs/alice/adder, subs/bob/adder" in text.stdout
    assert "not compared: subs/erin/adder: solution.py is not valid UTF-8 (bad byte at line" in text.stdout
    assert "\x1b[" not in text.stdout           # not a terminal (and NO_COLOR): no escape codes
    report = json.loads(grader("similarity", "subs", "--format", "json", cwd=tmp_path).stdout)
    (adder,) = report["challenges"]
    top, second = adder["pairs"][:2]
    assert (top["a"], top["b"], top["score"]) == ("subs/alice/adder", "subs/bob/adder", 1.0)
    assert (second["a"], second["b"], second["score"], second["b_known"]) == ("subs/dave/adder", "reference: adder",
                                                                              1.0, True)
    assert all(pair["score"] < 0.5 for pair in adder["pairs"][2:])
    assert adder["known"] == ["reference: adder"] and adder["submissions"] == 4
    assert adder["clusters"] == [["reference: adder", "subs/dave/adder"], ["subs/alice/adder", "subs/bob/adder"]]
    table = list(csv.DictReader(io.StringIO(grader("similarity", "subs", "--format", "csv", cwd=tmp_path).stdout)))
    assert (table[0]["a"], table[0]["b"], table[0]["score"]) == ("subs/alice/adder", "subs/bob/adder", "1.0000")
    assert table[0]["lines_a"].startswith("solution.py:")


def test_the_reference_and_known_solutions_are_matched_but_never_paired_together(tmp_path):
    write(tmp_path / "subs" / "alice" / "adder", ORIGINAL)
    write(tmp_path / "old" / "2023" / "adder", (FIXTURES / "commented.py").read_text())
    write(tmp_path / "old" / "2022" / "adder", (FIXTURES / "reordered.py").read_text())
    result = grader("similarity", "subs", "--known", "old", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (adder,) = json.loads(result.stdout)["challenges"]
    assert adder["known"] == ["known: old/2022/adder", "known: old/2023/adder", "reference: adder"]
    pairs = {(pair["a"], pair["b"]) for pair in adder["pairs"]}
    assert {("subs/alice/adder", "known: old/2022/adder"), ("subs/alice/adder", "known: old/2023/adder")} <= pairs
    assert all(pair["a"] == "subs/alice/adder" and pair["b_known"] for pair in adder["pairs"])


def test_no_pairs_exits_0_and_bad_input_exits_2(tmp_path):
    write(tmp_path / "subs" / "alice" / "adder", ORIGINAL)
    quiet = grader("similarity", "subs/alice/adder", "--format", "json", cwd=tmp_path)
    assert quiet.returncode == 0, quiet.stderr
    assert json.loads(quiet.stdout)["challenges"][0]["pairs"] == []
    assert grader("similarity", "nowhere", cwd=tmp_path).returncode == 2
    assert grader("similarity", "subs", "--threshold", "1.5", cwd=tmp_path).returncode == 2
    undetermined = grader("similarity", str(tmp_path / "subs" / "alice"), cwd=tmp_path / "subs")
    assert undetermined.returncode in (0, 2)        # the folder is named after the challenge above it
    lone = tmp_path / "lone"
    write(lone, CORRECT)
    refused = grader("similarity", "lone", cwd=tmp_path)
    assert refused.returncode == 2 and "Cannot tell which challenge" in refused.stderr


def test_output_goes_to_a_file_atomically(tmp_path):
    _batch(tmp_path)
    result = grader("similarity", "subs", "--format", "json", "--output", "out/sim.json", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout == ""
    assert json.loads((tmp_path / "out" / "sim.json").read_text())["kind"] == "similarity"
    assert [path.name for path in (tmp_path / "out").iterdir()] == ["sim.json"]


def _grade(tmp_path: Path, *args: str):
    result = grader("grade", "subs", "--sandbox", "process", "--no-complexity", "--jobs", "1", *args, cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    return result


def test_sharded_merged_and_resumed_runs_give_the_same_report_as_one_run(tmp_path):
    _batch(tmp_path)
    one = _grade(tmp_path, "--db", "one.db", "--similarity", "--format", "html", "--output-dir", "one")
    # Not a terminal (a CI log, maybe public): a count, and the names only in the file.
    assert ("Similarity: 2 pair(s) at or above 0.46 and 1 submission(s) not compared (with why), listed with their "
            "names in one/similarity.json") in one.stderr
    assert "cluster" not in one.stderr and "shares code with" not in one.stderr
    alone = _grade(tmp_path, "--db", "one.db", "--similarity")      # no file to put it in: the table
    assert "cluster 2: subs/alice/adder, subs/bob/adder" in alone.stderr
    single = (tmp_path / "one" / "similarity.json").read_text()
    assert json.loads(single)["challenges"][0]["pairs"][0]["score"] == 1.0
    assert rows(tmp_path / "one.db", "SELECT count(*) FROM fingerprints")[0][0] == 5
    _grade(tmp_path, "--db", "one.db", "--similarity", "--output-dir", "again")      # resumed: all from the database
    assert (tmp_path / "again" / "similarity.json").read_text() == single
    for index in (1, 2):        # shards graded without --similarity still store their fingerprints
        _grade(tmp_path, "--db", f"shard{index}.db", "--shard", f"{index}/2")
    merged = grader("merge", "shard1.db", "shard2.db", "--similarity", "--format", "html", "--output-dir", "merged",
                    "--db", "all.db", cwd=tmp_path)
    assert merged.returncode in (0, 1), merged.stderr
    assert (tmp_path / "merged" / "similarity.json").read_text() == single
    assert (tmp_path / "merged" / "report.html").read_text() == (tmp_path / "one" / "report.html").read_text()
    assert rows(tmp_path / "all.db", "SELECT count(*) FROM fingerprints")[0][0] == 5


def test_only_the_assessors_outputs_show_similarity(tmp_path):
    """Every candidate-facing format is byte for byte what it is without --similarity; only report.html
    and similarity.json (and grade's own terminal output) show who shares code with whom."""
    _batch(tmp_path)
    formats = ("--format", "jsonl", "--format", "junit", "--format", "csv", "--format", "gradescope",
               "--format", "github", "--format", "html")
    shown = _grade(tmp_path, "--db", "r.db", "--similarity", "--output-dir", "with", *formats)
    plain = _grade(tmp_path, "--db", "r.db", "--output-dir", "without", *formats)
    assert shown.stdout == plain.stdout             # the github annotations
    assert "subs/bob/adder" not in plain.stdout.replace("subs/bob/adder/solution.py", "")
    for name in ("results.jsonl", "junit.xml", "results.csv", "results.json"):
        assert (tmp_path / "with" / name).read_bytes() == (tmp_path / "without" / name).read_bytes(), name
    assert not (tmp_path / "without" / "similarity.json").exists()
    page = (tmp_path / "with" / "report.html").read_text()
    assert 'id="similarity"' in page and 'id="similarity"' not in (tmp_path / "without" / "report.html").read_text()
    assert "<script" not in page and "http" not in page.replace('lang="en"', "")
    for line in (tmp_path / "with" / "results.jsonl").read_text().splitlines():
        assert "similarity" not in json.loads(line)
    assert grader("submit", "subs/alice/adder", "--similarity", cwd=tmp_path).returncode == 2
    assert grader("test", "subs/alice/adder", "--similarity", cwd=tmp_path).returncode == 2


def test_the_html_section_escapes_everything_from_a_submission(tmp_path):
    hostile = "</pre><script>alert(1)</script><img src=http://x>"
    source = ORIGINAL.replace('"""Reference min heap', f'"""{hostile}').replace(
        "    def insert(self", f"    # {hostile}\n    def insert(self")
    write(tmp_path / "subs" / "a<b>" / "adder", source)
    write(tmp_path / "subs" / "alice" / "adder", source)
    _grade(tmp_path, "--db", "r.db", "--similarity", "--format", "html", "--output-dir", "out")
    page = (tmp_path / "out" / "report.html").read_text()
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "a&lt;b&gt;" in page


def test_csv_keeps_a_folder_named_like_a_formula_as_text(tmp_path):
    write(tmp_path / "=HYPERLINK(1)" / "adder", ORIGINAL)
    write(tmp_path / "bob" / "adder", ORIGINAL)
    result = grader("similarity", "=HYPERLINK(1)", "bob", "--format", "csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    names = {cell for row in csv.DictReader(io.StringIO(result.stdout)) for cell in (row["a"], row["b"])}
    assert "'=HYPERLINK(1)/adder" in names and not any(name.startswith("=") for name in names)


def test_the_table_of_names_is_shown_only_on_a_terminal_outside_ci(monkeypatch):
    from grader.cli.similarity_command import private_terminal
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    monkeypatch.delenv("CI", raising=False)
    assert private_terminal()
    monkeypatch.setenv("CI", "true")
    assert not private_terminal()
    monkeypatch.delenv("CI")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert not private_terminal()
