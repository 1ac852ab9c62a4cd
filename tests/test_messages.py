"""Messages print what they say: rich markup ate every ``[limits]``,
``[challenges.SLUG]`` or ``[red]`` in them (issue 13 item 4). Each test runs
the real entry point, ``grader.cli.main.main``, so rich does the printing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader.assessment import Assessment
from grader.catalog import Catalog
from grader.cli import main as cli_main
from grader.errors import AssessmentError
from tests.conftest import FIXTURE_CHALLENGES
from tests.test_assessment import HEADER, INVALID

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run ``grader ARGS...`` in this process: (exit code, stdout, stderr)."""
    monkeypatch.setattr(cli_main, "install_signal_handlers", lambda: None)   # pytest keeps its own
    monkeypatch.setenv("COLUMNS", "1000")       # no table wraps a message mid-word
    monkeypatch.delenv("FORCE_COLOR", raising=False)

    def run(*args: str) -> tuple[int, str, str]:
        with pytest.raises(SystemExit) as exited:
            cli_main.main([str(arg) for arg in args])
        captured = capsys.readouterr()
        return exited.value.code, captured.out, captured.err
    return run


@pytest.mark.parametrize("text", [text for text, _ in INVALID.values()], ids=list(INVALID))
def test_every_assessment_file_problem_prints_as_it_reads(tmp_path, cli, text):
    """"unknown key 'colour' in . The keys..." was "... in [challenges.adder]. The keys..."."""
    path = tmp_path / "grader.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AssessmentError) as raised:
        Assessment.load(path, Catalog([FIXTURE_CHALLENGES]))
    code, _, err = cli("--challenges-dir", FIXTURE_CHALLENGES, "kit", path, "-o", tmp_path / "kit")
    assert code == 2
    assert f"error: {raised.value}\n" in err


def test_most_assessment_file_problems_name_a_table(tmp_path):
    """The test above matters where a message holds brackets: most of them."""
    bracketed = []
    for name, (text, _) in INVALID.items():
        (tmp_path / "grader.toml").write_text(text, encoding="utf-8")
        with pytest.raises(AssessmentError) as raised:
            Assessment.load(tmp_path / "grader.toml", Catalog([FIXTURE_CHALLENGES]))
        bracketed += [name] if "[" in str(raised.value) else []
    assert len(bracketed) >= len(INVALID) // 2, bracketed


def test_a_challenge_the_assessment_does_not_list_prints_the_table_to_add(tmp_path, cli):
    assessment = tmp_path / "grader.toml"
    assessment.write_text(HEADER + "[challenges.worker-killer]\n", encoding="utf-8")
    workspace = tmp_path / "ws"
    workspace.mkdir()
    (workspace / "solution.py").write_text("def add(a, b):\n    return a + b\n")
    code, _, err = cli("--challenges-dir", FIXTURE_CHALLENGES, "submit", workspace, "--challenge", "adder",
                       "--assessment", assessment)
    assert code == 2
    assert f"add [challenges.adder] to {assessment}" in err


def private_adder(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    """A copy of the fixture challenge as ``adder`` in a private folder, its
    challenge.toml edited (each edit: old text, new text)."""
    folder = tmp_path / "challenges" / "adder"
    shutil.copytree(FIXTURE_CHALLENGES / "adder", folder)
    meta = folder / "challenge.toml"
    text = meta.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    meta.write_text(text, encoding="utf-8")
    return folder


CHALLENGE_FILE_PROBLEMS = {     # edits of the fixture's challenge.toml -> what the message says
    "unknown key in [limits]": ([("cpu_seconds = 10", "cpu_seconds = 10\ncolour = 1")], "'colour' in [limits]"),
    "misspelt table": ([("[limits]", "[limts]")], "table [limts] (did you mean [limits]?)"),
    "array of tables": ([("[limits]", "[[challenge]]\nx = 1\n\n[limits]")], "table [[challenge]]"),
    "misspelt sub-table": ([("[score.tests]", "[score.test]")], "table [score.test] (did you mean [score.tests]?)"),
    "a key in the wrong table": ([("[rules]", "[rules]\nmemory_mb = 1")], "(it belongs in [limits]) in [rules]"),
    "unknown top-level key": ([("version = 1", "version = 1\ncolour = 1")], "[limits], [rules], [score]"),
    "not a table": ([("[rules]\nforbidden = [\"operator\"]", ""), ("version = 1", 'version = 1\nrules = "operator"')],
                    "Write [rules] on a line"),
    "complexity without benchmark.py": ([("correctness = 100", "correctness = 80\ncomplexity = 20")],
                                        "complexity = 20 in [score]"),
    "a hint that is no text": ([("adds_two_integers = 3", "adds_two_integers = 3\n\n[hints]\nadds_two_integers = 3")],
                               "hints.adds_two_integers = '3' in [hints], which is not a list of hint texts"),
    "an empty hint": ([("adds_two_integers = 3", 'adds_two_integers = 3\n\n[hints]\nadds_two_integers = [""]')],
                      "which is not a list of hint texts"),
    "hints before another table": ([("[limits]", '[hints]\nadds_two_integers = ["x"]\n\n[limits]')],
                                   "not a [hints] table at the end of the file"),
}


@pytest.mark.parametrize("edits, says", list(CHALLENGE_FILE_PROBLEMS.values()), ids=list(CHALLENGE_FILE_PROBLEMS))
def test_every_challenge_file_problem_prints_its_table_names(tmp_path, cli, edits, says):
    folder = private_adder(tmp_path, *edits)
    code, _, err = cli("--challenges-dir", folder.parent, "show", "adder")
    assert code == 2
    assert says in err and f"error: {folder / 'challenge.toml'} " in err


def test_a_path_with_markup_in_a_usage_error_prints_literally(tmp_path, cli):
    missing = tmp_path / "[red]work[/red]" / "[bold]x"
    code, _, err = cli("--challenges-dir", FIXTURE_CHALLENGES, "test", missing)
    assert code == 2
    assert f"error: {missing} does not exist." in err


def test_a_closing_tag_in_a_message_is_not_an_internal_error(tmp_path, cli):
    """``[/]`` with nothing to close made rich raise MarkupError: exit 3."""
    missing = tmp_path / "a[/]b"
    code, _, err = cli("--challenges-dir", FIXTURE_CHALLENGES, "test", missing)
    assert code == 2 and f"{missing} does not exist." in err


def test_titles_and_folders_with_brackets_print_literally(tmp_path, cli):
    folder = private_adder(tmp_path, ('title = "Adder (test fixture)"', 'title = "Adder [beta] [red]new[/red]"'))
    code, out, _ = cli("--challenges-dir", folder.parent, "list")
    assert code == 0 and "Adder [beta] [red]new[/red]" in out
    target = tmp_path / "[bold]ws"
    code, out, _ = cli("--challenges-dir", folder.parent, "start", "adder", target)
    assert code == 0
    assert f"Created {target}/" in out and "for Adder [beta] [red]new[/red]." in out


def test_a_report_prints_file_names_tests_and_reasons_literally():
    """A candidate's helper file "[red]x.py" lost its name in the rules table."""
    from grader.report.model import ComplexityResult, Report, RuleFinding
    from grader.report.model import TestResult as Result
    from grader.report.render import to_text

    report = Report(challenge="adder", verdict="fail", score=0.0, max_score=100.0,
                    tests=(Result("adds[red]", "fail", "add(1, 2) is 4"),),
                    complexity=(ComplexityResult("get", "O(1)", "O(n)", "slower", 9.0, {"reason": "[i]grows[/i]"}),),
                    rules=(RuleFinding("forbidden-call", "uses [x for x in y]", 3, "[red]x.py"),),
                    timed_out=False, memory_exceeded=False, sandbox="process", seed=0, submission_sha256="ab" * 32,
                    message="", grader_version="0.1.0", duration_seconds=1.0)
    text = to_text(report)
    for shown in ("adds[red]", "adds[red] (fail)", "[red]x.py", "uses [x for x in y]", "[i]grows[/i]"):
        assert shown in text, shown
