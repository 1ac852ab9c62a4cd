"""An author's mistakes in challenge.toml are refused, not ignored: an
unknown key, a misspelt table, complexity points without a benchmark.py, a
[score.tests] weight for no hidden test (issue 13 item 14)."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from grader.catalog import Catalog
from grader.errors import ChallengeDefinitionError
from grader.validation import _weights_check
from tests.conftest import FIXTURE_CHALLENGES
from tests.test_messages import cli  # noqa: F401 - the fixture

ROOT = Path(__file__).resolve().parents[1]
SLUG = "pair-sum"     # a built-in challenge with a benchmark.py and complexity points


def private_copy(tmp_path: Path, *edits: tuple[str, str], benchmark: bool = True) -> Path:
    """challenges/pair-sum copied into a private challenges folder, its
    challenge.toml edited (each edit: old text, new text)."""
    folder = tmp_path / "challenges" / SLUG
    shutil.copytree(ROOT / "challenges" / SLUG, folder)
    meta = folder / "challenge.toml"
    text = meta.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    meta.write_text(text, encoding="utf-8")
    if not benchmark:
        (folder / "benchmark.py").unlink()
    return folder


MISTAKES = {   # (edits, benchmark.py kept) -> what the message must say
    "unknown top-level key": (([("difficulty = ", 'colour = "red"\ndifficulty = ')], True),
                              ["unknown key 'colour' at the top level", "title, version"]),
    "unknown key in [limits]": (([("cpu_seconds = 60", "cpu_seconds = 60\nmemroy_mb = 512")], True),
                                ["unknown key 'memroy_mb' (did you mean memory_mb?) in [limits]"]),
    "misspelt table": (([("[limits]", "[limts]")], True), ["unknown table [limts] (did you mean [limits]?)"]),
    "misspelt [score.tests]": (([("[score.tests]", "[score.test]")], True),
                               ["table [score.test] (did you mean [score.tests]?)"]),
    "a [limits] key in [score]": (([("complexity = 20", "complexity = 20\nmemory_mb = 512")], True),
                                  ["key 'memory_mb' (it belongs in [limits]) in [score]"]),
    "several unknown keys": (([("memory_mb = 256", "memory_mb = 256\ncolour = 1\nsize = 2")], True),
                             ["unknown entries: key 'colour', key 'size' in [limits]"]),
    "a table that is not one": (([("difficulty = ", 'rules = "heapq"\ndifficulty = ')], True),
                                ["rules = 'heapq', which is not a table", "Write [rules] on a line of its own"]),
    "complexity without benchmark.py": (([], False),
                                        ["complexity = 20 in [score]", "has no benchmark.py",
                                         "Add benchmark.py", "or remove complexity from [score]"]),
}


@pytest.mark.parametrize("mistake, says", list(MISTAKES.values()), ids=list(MISTAKES))
def test_each_mistake_is_refused_naming_it_and_the_file(tmp_path, mistake, says):
    edits, benchmark = mistake
    folder = private_copy(tmp_path, *edits, benchmark=benchmark)
    catalog = Catalog([folder.parent])
    with pytest.raises(ChallengeDefinitionError) as raised:
        catalog.get(SLUG)
    message = str(raised.value)
    assert raised.value.exit_code == 2
    assert message.startswith(f"{folder / 'challenge.toml'} ") and "\n" not in message   # one paragraph
    for part in says:
        assert part in message
    assert "docs/writing-challenges.md" in message


def test_the_copy_without_mistakes_is_accepted(tmp_path):
    folder = private_copy(tmp_path)
    assert Catalog([folder.parent]).get(SLUG).folder == folder


def test_complexity_zero_needs_no_benchmark(tmp_path):
    folder = private_copy(tmp_path, ("complexity = 20", "complexity = 0"), benchmark=False)
    assert Catalog([folder.parent]).get(SLUG).complexity_points == 0


def test_every_built_in_and_fixture_challenge_is_accepted():
    catalog = Catalog([FIXTURE_CHALLENGES])
    assert catalog.problems == {}
    assert len(catalog.all()) == len(list((ROOT / "challenges").glob("*/challenge.toml"))) + 2


@pytest.mark.parametrize("mistake, says", [MISTAKES["misspelt table"], MISTAKES["complexity without benchmark.py"]],
                         ids=["misspelt table", "complexity without benchmark.py"])
def test_validate_lists_the_mistake_as_a_problem_of_that_challenge(tmp_path, cli, mistake, says):  # noqa: F811
    edits, benchmark = mistake
    folder = private_copy(tmp_path, *edits, benchmark=benchmark)
    code, out, _ = cli("--challenges-dir", folder.parent, "validate", SLUG)
    assert code == 1, out
    row = next(line for line in out.splitlines() if "challenge.toml" in line)
    assert SLUG in row and "FAILED" in row and str(folder / "challenge.toml") in row and says[0] in row
    assert "1 challenge(s), 1 problem(s)." in out
    # Repeated after the table, a line each, so that the tail of a CI log names it.
    assert out.splitlines()[-2].startswith(f"FAILED {SLUG} challenge.toml: ")


def test_other_commands_stop_on_the_mistake_with_exit_2(tmp_path, cli):  # noqa: F811
    folder = private_copy(tmp_path, ("[limits]", "[limts]"))
    code, _, err = cli("--challenges-dir", folder.parent, "show", SLUG)
    assert code == 2 and f"error: {folder / 'challenge.toml'} has an unknown table [limts]" in err


def test_a_weight_for_no_hidden_test_is_a_problem(catalog):
    adder = catalog.get("adder")
    names = ["adds_two_integers", "counter_counts"]
    assert _weights_check(adder, names) == []
    misspelt = dataclasses.replace(adder, test_weights={"adds_two_integerz": 3.0, "complexity": 20})
    [check] = _weights_check(misspelt, names)
    assert not check.ok and check.subject == "challenge.toml"
    assert check.detail.startswith(f"{adder.folder / 'challenge.toml'} weighs 'adds_two_integerz', 'complexity' "
                                   "in [score.tests], which are not hidden tests.")
    assert "adds_two_integers, counter_counts" in check.detail
    assert _weights_check(misspelt, []) == []      # no report of the tests (the stub did not load): no guess


def test_validate_reports_a_weight_for_no_hidden_test(tmp_path, cli):  # noqa: F811
    challenges, reference = tmp_path / "challenges", tmp_path / "reference"
    shutil.copytree(FIXTURE_CHALLENGES / "adder", challenges / "adder")
    shutil.copytree(FIXTURE_CHALLENGES.parent / "reference" / "adder", reference / "adder")
    meta = challenges / "adder" / "challenge.toml"
    meta.write_text(meta.read_text(encoding="utf-8") + "adds_two_integerz = 2\n", encoding="utf-8")
    code, out, _ = cli("--challenges-dir", challenges, "validate", "adder")
    assert code == 1, out
    assert "'adds_two_integerz' in [score.tests], which is not a hidden test" in out
    assert "1 challenge(s), 1 problem(s)." in out
