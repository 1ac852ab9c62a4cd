"""The paths a new user takes, as the READMEs tell them (issue 13): each
test here failed before the fix it names."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXTURE_CHALLENGES

ROOT = Path(__file__).resolve().parents[1]
CORRECT = ROOT / "tests" / "fixtures" / "reference" / "adder" / "solution.py"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The grader with nothing but ``args``: no --challenges-dir of its own."""
    env = dict(os.environ, NO_COLOR="1")
    env.pop("GRADER_CHALLENGES", None)
    return subprocess.run([sys.executable, "-m", "grader", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, env=env, timeout=120)


def test_a_private_challenges_workspace_remembers_where_the_challenge_lives(tmp_path):
    workspace = tmp_path / "ws"
    started = run("--challenges-dir", str(FIXTURE_CHALLENGES), "start", "adder", str(workspace))
    assert started.returncode == 0, started.stderr
    (workspace / "solution.py").write_bytes(CORRECT.read_bytes())
    tested = run("test", "--sandbox", "process", cwd=workspace)
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "PASS" in tested.stdout
    assert f"Challenge adder from {FIXTURE_CHALLENGES}" in tested.stderr


def test_a_workspace_whose_challenge_is_gone_says_how_to_find_it(tmp_path):
    workspace = tmp_path / "ws"
    workspace.mkdir()
    (workspace / "solution.py").write_text("def add(a, b):\n    return a + b\n")
    (workspace / ".grader.toml").write_text(f'challenge = "adder"\nchallenges_dir = "{tmp_path / "gone"}"\n')
    result = run("test", cwd=workspace)
    assert result.returncode == 2
    assert "no challenge called 'adder'" in result.stderr and "no such challenge any more" in result.stderr
    assert "--challenges-dir DIR" in result.stderr and "Traceback" not in result.stderr


def test_challenges_dir_is_accepted_after_the_command_too(tmp_path):
    workspace = tmp_path / "ws"
    started = run("start", "--challenges-dir", str(FIXTURE_CHALLENGES), "adder", str(workspace))
    assert started.returncode == 0, started.stderr
    shown = run("show", "adder", "--challenges-dir", str(FIXTURE_CHALLENGES))
    assert shown.returncode == 0, shown.stderr


def test_grade_never_uses_a_challenges_folder_named_in_a_submission(tmp_path):
    """The marker is the candidate's: an assessor's batch must not load
    challenges (hidden tests!) from a folder it names."""
    batch = tmp_path / "batch" / "adder" / "mallory"
    batch.mkdir(parents=True)
    (batch / "solution.py").write_bytes(CORRECT.read_bytes())
    (batch / ".grader.toml").write_text(f'challenge = "adder"\nchallenges_dir = "{FIXTURE_CHALLENGES}"\n')
    result = run("grade", str(tmp_path / "batch"), "--sandbox", "process", "--db", str(tmp_path / "r.db"))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "names 'adder', which is not a challenge" in result.stderr


def _kit(tmp_path: Path) -> Path:
    """A kit-like folder: two workspaces of the fixture challenge, one right, one wrong."""
    kit = tmp_path / "kit"
    for name, source in (("first", CORRECT), ("second", ROOT / "tests" / "fixtures" / "reference" / "adder"
                                                       / "mutants" / "subtracts.py")):
        folder = kit / name
        folder.mkdir(parents=True)
        (folder / "solution.py").write_bytes(source.read_bytes())
        (folder / ".grader.toml").write_text('challenge = "adder"\n')
    return kit


def test_submit_defaults_to_this_folder_like_test(tmp_path):
    workspace = _kit(tmp_path) / "first"
    result = run("--challenges-dir", str(FIXTURE_CHALLENGES), "submit", "--sandbox", "process", cwd=workspace)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "adder: PASS" in result.stdout


def test_test_and_submit_at_a_kits_root_grade_every_challenge(tmp_path):
    kit = _kit(tmp_path)
    for command in ("test", "submit"):
        result = run("--challenges-dir", str(FIXTURE_CHALLENGES), command, "--sandbox", "process", cwd=kit)
        assert result.returncode == 1, result.stdout + result.stderr    # "second" fails
        assert "Every challenge in this folder" in result.stdout and "1 of 2 challenge(s) pass." in result.stdout
        assert result.stdout.count("adder: PASS") == 1 and result.stdout.count("adder: FAIL") == 1


def test_submit_at_a_kits_root_refuses_one_report_formats(tmp_path):
    result = run("--challenges-dir", str(FIXTURE_CHALLENGES), "submit", "--format", "json", cwd=_kit(tmp_path))
    assert result.returncode == 2 and "holds 2 challenge folders" in result.stderr


def test_grader_test_says_complexity_was_not_checked_and_gives_no_score_submit_would_not(tmp_path):
    """A pass without the big-O checks is not 100/100: submit could still
    take the complexity points away."""
    workspace = tmp_path / "palindrome"
    workspace.mkdir()
    (workspace / "solution.py").write_bytes((ROOT / "reference" / "palindrome" / "solution.py").read_bytes())
    tested = run("test", "--sandbox", "process", cwd=workspace)
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "PASS (complexity not checked)  score 80.0/100" in tested.stdout
    assert "Run `grader test --complexity` or `grader submit`" in " ".join(tested.stdout.split())
    report = json.loads(run("submit", "--no-complexity", "--format", "json", "--sandbox", "process",
                            cwd=workspace).stdout)
    assert report["complexity_skipped"] is True and report["score"] == 80.0 and report["complexity"] == []


def _wide(renderable, width: int = 120) -> list[str]:
    import io

    from rich.console import Console
    console = Console(width=width, file=io.StringIO(), no_color=True, force_terminal=False)
    console.print(renderable)
    return console.file.getvalue().splitlines()


def test_complexity_headlines_and_reasons_use_the_terminals_width():
    """They were a table's title and caption, wrapped to the table's ~38 columns."""
    from grader.report.model import ComplexityResult, Report, TestResult
    from grader.report.render import rich_report
    details = {"kind": "time", "axis": "capacity", "sizes": [500, 50_000], "candidate_seconds": [0.005, 0.5],
               "reference_seconds": [0.004, 0.006], "ratios": [1.25, 83.3], "relative_slope": 0.96,
               "reason": "grows faster than the reference: 83x slower at the largest size, a slope of +0.96"}
    report = Report(challenge="lru-cache", verdict="fail", score=80, max_score=100,
                    tests=(TestResult("behaves_like_an_lru_cache", "fail", message="returned -1, expected 1",
                                      description="Any mix of get and put behaves like a reference LRU cache."),),
                    complexity=(ComplexityResult("get", "O(1)", "O(n)", "slower", 83.3, details),), rules=(),
                    timed_out=False, memory_exceeded=False, sandbox="process", seed=0, submission_sha256="ab" * 32)
    lines = _wide(rich_report(report))
    assert "get: expected O(1), looks O(n) -> slower  (relative slope +0.96)" in lines
    assert details["reason"] in lines
    # One naming: the table and the panel both say the test's name; the panel adds its sentence.
    assert any(line.startswith("behaves_like_an_lru_cache") for line in lines)
    assert any("behaves_like_an_lru_cache (fail)" in line for line in lines)
    assert any("Any mix of get and put behaves like a reference LRU cache." in line for line in lines)


def test_the_weighted_totals_title_uses_the_terminals_width():
    import types

    from grader.batch.assessment_totals import CandidateTotal, table
    assessment = types.SimpleNamespace(name="Backend take-home", slugs=["lru-cache", "pair-sum"],
                                       weight=lambda slug: 2 if slug == "lru-cache" else 1)
    rows = [CandidateTotal("alice", {"lru-cache": 100.0, "pair-sum": 100.0}, {"lru-cache": 100, "pair-sum": 100},
                           100.0)]
    lines = _wide(table(rows, assessment))
    assert "Backend take-home: weighted totals (lru-cache x2, pair-sum x1)" in lines


def test_a_check_stopped_at_the_cap_says_over_the_cap_in_the_text_report():
    from grader.report.model import ComplexityResult, Report
    from grader.report.render import rich_report
    details = {"kind": "time", "axis": "n", "sizes": [1_000, 100_000], "candidate_seconds": [0.01, None],
               "reference_seconds": [0.001, 0.01], "ratios": [10.0, None], "stopped_at": 100_000,
               "stopped_in": "run", "cap_seconds": 0.5, "reason": "stopped at the cap"}
    report = Report(challenge="pair-sum", verdict="fail", score=80, max_score=100, tests=(),
                    complexity=(ComplexityResult("pair_sum", "O(n)", "O(n^2)", "slower", None, details),),
                    rules=(), timed_out=False, memory_exceeded=False, sandbox="process", seed=0,
                    submission_sha256="")
    [row] = [line for line in _wide(rich_report(report)) if line.strip().startswith("100,000")]
    assert "over 500 ms (cap)" in row and "over 50.00x" in row


def test_a_long_transcript_keeps_its_first_call_and_whole_last_calls():
    """It was cut to its last 4,000 characters: "Cache(257)" with the
    "c = LRU" gone, read as a call nobody made."""
    from grader.constants import MAX_COUNTEREXAMPLE_CHARS
    from grader.harness.program import _cut_between_calls
    lines = ["c = LRUCache(257)"] + [f"c.put({i}, {i})" for i in range(1000)] + ["c.get(0) -> returned -1, expected 0"]
    text = _cut_between_calls(lines)
    kept = text.splitlines()
    assert kept[0] == "c = LRUCache(257)" and kept[-1] == lines[-1]
    assert kept[1].startswith("... (") and kept[1].endswith(" more calls not shown)")
    assert all(line in lines for line in kept[2:])
    assert int(kept[1].split("(")[1].split()[0]) + len(kept) - 2 == len(lines) - 1
    assert len(text) <= MAX_COUNTEREXAMPLE_CHARS
