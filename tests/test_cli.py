"""The ``grader`` command as a user runs it: exit codes, output, messages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURE_CHALLENGES

ROOT = Path(__file__).resolve().parents[1]
CORRECT = ROOT / "tests" / "fixtures" / "reference" / "adder" / "solution.py"
WRONG = ROOT / "tests" / "fixtures" / "reference" / "adder" / "mutants" / "subtracts.py"


def grader(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = dict(os.environ, NO_COLOR="1", **(env or {}))
    return subprocess.run([sys.executable, "-m", "grader", "--challenges-dir", str(FIXTURE_CHALLENGES), *args],
                          capture_output=True, text=True, cwd=cwd or ROOT, env=full_env, timeout=120)


def workspace(tmp_path: Path, source: Path) -> Path:
    folder = tmp_path / "ws"
    folder.mkdir()
    (folder / "solution.py").write_bytes(source.read_bytes())
    (folder / ".grader.toml").write_text('challenge = "adder"\n')
    return folder


def test_list_shows_every_challenge_in_a_table():
    result = grader("list")
    assert result.returncode == 0
    for slug in ("adder", "lru-cache"):
        assert slug in result.stdout


def test_show_renders_the_prompt():
    result = grader("show", "lru-cache")
    assert result.returncode == 0 and "least recently used" in result.stdout


def test_unknown_challenge_is_a_usage_error_with_the_known_names():
    result = grader("show", "no-such-thing")
    assert result.returncode == 2
    assert "There is no challenge called 'no-such-thing'" in result.stderr and "lru-cache" in result.stderr
    assert "Traceback" not in result.stderr


def test_start_creates_a_workspace_and_never_overwrites(tmp_path):
    target = tmp_path / "mine"
    assert grader("start", "adder", str(target)).returncode == 0
    assert sorted(p.name for p in target.iterdir()) == [".grader.toml", "README.md", "solution.py"]
    (target / "solution.py").write_text("my work\n")
    again = grader("start", "adder", str(target))
    assert again.returncode == 2 and "left untouched" in again.stderr
    assert (target / "solution.py").read_text() == "my work\n"


def test_submit_json_prints_exactly_the_report(tmp_path):
    result = grader("submit", str(workspace(tmp_path, CORRECT)), "--format", "json", "--seed", "3")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    for field in ("schema", "challenge", "verdict", "score", "max_score", "correctness", "complexity", "rules",
                  "limits", "sandbox", "seed", "submission_sha256"):
        assert field in report
    assert report["verdict"] == "pass" and report["seed"] == 3 and report["sandbox"] in ("process", "docker")


def test_submit_of_a_wrong_solution_exits_1_with_the_counterexample(tmp_path):
    result = grader("submit", str(workspace(tmp_path, WRONG)))
    assert result.returncode == 1
    assert "FAIL" in result.stdout and "add(" in result.stdout and "expected" in result.stdout


def test_error_verdict_exits_1_and_says_why(tmp_path):
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "solution.py").write_text("def add(:\n")
    result = grader("submit", str(folder), "--challenge", "adder", "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["verdict"] == "error" and "syntax error at line 1" in report["message"]


def test_output_file_is_written_and_stdout_stays_empty(tmp_path):
    out = tmp_path / "report.json"
    result = grader("submit", str(workspace(tmp_path, CORRECT)), "--format", "json", "--output", str(out))
    assert result.returncode == 0 and result.stdout == ""
    assert json.loads(out.read_text())["verdict"] == "pass"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".report")] == []


def test_test_command_uses_the_marker_in_the_current_folder(tmp_path):
    folder = workspace(tmp_path, CORRECT)
    result = grader("test", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert "PASS" in result.stdout


def test_folder_without_marker_or_known_name_asks_for_the_challenge(tmp_path):
    folder = tmp_path / "anything"
    folder.mkdir()
    (folder / "solution.py").write_text("x = 1\n")
    result = grader("submit", str(folder))
    assert result.returncode == 2 and "--challenge" in result.stderr


def test_missing_path_is_a_usage_error(tmp_path):
    result = grader("submit", str(tmp_path / "nope"), "--challenge", "adder")
    assert result.returncode == 2 and "does not exist" in result.stderr


def test_docker_sandbox_without_its_image_is_a_clear_error(tmp_path):
    result = grader("submit", str(workspace(tmp_path, CORRECT)), "--sandbox", "docker",
                    "--image", "localhost:1/grader-no-such-image:1")
    assert result.returncode == 2 and "Docker" in result.stderr and "Traceback" not in result.stderr


def test_validate_checks_reference_mutants_and_stub():
    result = grader("validate", "adder")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 problem(s)" in result.stdout


def test_validate_fails_when_a_mutant_is_not_caught(tmp_path):
    challenges = tmp_path / "challenges"
    reference = tmp_path / "reference"
    import shutil
    shutil.copytree(FIXTURE_CHALLENGES / "adder", challenges / "adder2")
    shutil.copytree(FIXTURE_CHALLENGES.parent / "reference" / "adder", reference / "adder2")
    shutil.copy(CORRECT, reference / "adder2" / "mutants" / "actually_correct.py")
    result = grader("--challenges-dir", str(challenges), "validate", "adder2")
    assert result.returncode == 1
    assert "NOT caught" in result.stdout


def test_private_challenges_come_from_the_environment_too(tmp_path):
    env = {"GRADER_CHALLENGES": str(FIXTURE_CHALLENGES)}
    result = subprocess.run([sys.executable, "-m", "grader", "list"], capture_output=True, text=True,
                            env=dict(os.environ, **env), timeout=60)
    assert "adder" in result.stdout


@pytest.mark.parametrize("args", [["submit"], ["submit", ".", "--format", "xml"]])
def test_bad_arguments_exit_2(args):
    assert grader(*args).returncode == 2


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_output_files_follow_the_umask(tmp_path, umask, mode):
    """Reports and batch outputs were created 0600 (mkstemp's mode) whatever the umask."""
    folder = workspace(tmp_path, CORRECT)
    command = [sys.executable, "-m", "grader", "--challenges-dir", str(FIXTURE_CHALLENGES)]
    env = dict(os.environ, NO_COLOR="1")

    def run(*args):
        return subprocess.run(command + list(args), capture_output=True, text=True, cwd=tmp_path, env=env,
                              timeout=120, preexec_fn=lambda: os.umask(umask))

    report = tmp_path / "report.json"
    assert run("submit", str(folder), "--format", "json", "--output", str(report)).returncode == 0
    batch = run("grade", str(folder), "--sandbox", "process", "--output-dir", str(tmp_path / "out"),
                "--format", "junit", "--format", "html", "--format", "csv", "--format", "gradescope")
    assert batch.returncode == 0, batch.stderr
    written = [report, *sorted((tmp_path / "out").iterdir())]
    assert len(written) == 5
    assert {path.name: oct(path.stat().st_mode & 0o777) for path in written} == \
        {path.name: oct(mode) for path in written}


@pytest.mark.parametrize("broken", ["def test_x(:\n    pass\n", "import no_such_module_here\n"])
def test_a_hidden_test_file_that_does_not_import_is_the_challenges_problem_not_a_ctrl_c(tmp_path, broken):
    """It ended pytest as 'interrupted': the grader printed 'Interrupted.' and exited 130."""
    import shutil
    challenges = tmp_path / "challenges"
    shutil.copytree(FIXTURE_CHALLENGES / "adder", challenges / "adder3")
    shutil.copytree(FIXTURE_CHALLENGES.parent / "reference" / "adder", tmp_path / "reference" / "adder3")
    (challenges / "adder3" / "tests" / "test_broken.py").write_text(broken)
    folder = workspace(tmp_path, CORRECT)
    result = grader("--challenges-dir", str(challenges), "submit", str(folder), "--challenge", "adder3")
    assert result.returncode == 3, (result.stdout, result.stderr)
    assert "test_broken.py" in result.stderr and "Interrupted" not in result.stderr
    validated = grader("--challenges-dir", str(challenges), "validate", "adder3")
    assert validated.returncode == 1, (validated.stdout, validated.stderr)
    assert "hidden tests" in validated.stdout and "FAILED" in validated.stdout


@pytest.mark.parametrize("args, says", [
    (["grade", "{ws}", "--min-score", "-1"], "-1"),
    (["grade", "{ws}", "--min-score", "150"], "more than any of these scores can be"),
    (["submit", "{ws}", "--image", ""], "is empty"),
    (["doctor", "--image", " "], "is empty"),
])
def test_bad_option_values_are_usage_errors(tmp_path, args, says):
    """--min-score 150 or -1 and --image "" were accepted quietly."""
    folder = workspace(tmp_path, CORRECT)
    result = grader(*[arg.format(ws=folder) for arg in args], cwd=tmp_path)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert says in result.stderr and "Traceback" not in result.stderr


def test_validate_with_jobs_gives_the_same_rows_in_the_same_order(tmp_path):
    """--jobs 2 validates challenges side by side (two processes) and still
    reports them in order, a surviving mutant included."""
    challenges = tmp_path / "challenges"
    reference = tmp_path / "reference"
    import shutil
    for name in ("adder2", "adder3"):
        shutil.copytree(FIXTURE_CHALLENGES / "adder", challenges / name)
        shutil.copytree(FIXTURE_CHALLENGES.parent / "reference" / "adder", reference / name)
    shutil.copy(CORRECT, reference / "adder3" / "mutants" / "actually_correct.py")
    one = grader("--challenges-dir", str(challenges), "validate", "adder3", "adder2")
    two = grader("--challenges-dir", str(challenges), "validate", "adder3", "adder2", "--jobs", "2")
    assert one.returncode == two.returncode == 1, two.stdout + two.stderr
    rows = [[line.split("│")[1:3] for line in result.stdout.splitlines() if "adder" in line and "│" in line]
            for result in (one, two)]
    assert rows[0] == rows[1] and rows[0][0][0].strip() == "adder3"
    assert "FAILED adder3 mutants/actually_correct.py" in " ".join(two.stdout.split())
