"""Fast start: browsing commands never import the grading machinery (issue 16, item 1).

`grader --help`, `list`, `show` and `start` run in a fresh interpreter; when it exits, the test reads which
modules it had imported. pytest, Hypothesis, the Docker SDK and the harness must not be among them.
"""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest

from grader.cli import main as grader_main

HEAVY = ("pytest", "_pytest", "hypothesis", "docker", "grader.harness", "grader.grading", "grader.complexity",
         "grader.sandbox.docker", "rich.markdown",
         "pygments.lexers.python")     # compiling its patterns took a third of `grader show`

PROBE = """
import atexit, json, sys
def report():
    sys.stderr.write("\\nMODULES " + json.dumps(sorted(sys.modules)) + "\\n")
atexit.register(report)
from grader.cli.main import main
main(sys.argv[1:])
"""


def imported_by(args: list[str], cwd, exit_code: int = 0) -> set[str]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == exit_code, done.stderr
    line = [line for line in done.stderr.splitlines() if line.startswith("MODULES ")][-1]
    return set(json.loads(line[len("MODULES "):]))


def heavy_among(modules: set[str], allowed: tuple[str, ...] = ()) -> list[str]:
    return sorted(name for name in modules
                  if any(name == h or name.startswith(h + ".") for h in HEAVY if h not in allowed))


@pytest.mark.parametrize("args", [["--help"], ["list"], ["start", "lru-cache", "ws"]])
def test_browsing_commands_import_nothing_heavy(args, tmp_path):
    assert heavy_among(imported_by(args, tmp_path)) == []


def test_show_imports_only_the_markdown_renderer_beyond(tmp_path):
    assert heavy_among(imported_by(["show", "lru-cache"], tmp_path), allowed=("rich.markdown",)) == []


def test_the_probe_sees_heavy_imports_when_they_happen(tmp_path):
    """The check above can fail: grading a submission does import pytest and Hypothesis."""
    imported_by(["start", "lru-cache", "ws"], tmp_path)
    heavy = heavy_among(imported_by(["test", "ws", "--sandbox", "process"], tmp_path, exit_code=1))
    assert "pytest" in heavy and "hypothesis" in heavy and "grader.harness.runner" in heavy


def test_help_lists_every_command_with_its_own_first_sentence():
    group = grader_main.cli
    ctx = click.Context(group)
    for name, (_, _, summary) in grader_main.COMMANDS.items():
        command = group.get_command(ctx, name)
        assert command is not None, name
        assert command.get_short_help_str(10_000) == click.Command(name, help=summary).get_short_help_str(10_000), \
            f"COMMANDS[{name!r}] must be the first sentence of the command's help"


def test_every_command_takes_challenges_dir_after_its_name():
    group = grader_main.cli
    ctx = click.Context(group)
    for name in grader_main.COMMANDS:
        options = [opt for param in group.get_command(ctx, name).params for opt in getattr(param, "opts", [])]
        assert options.count("--challenges-dir") == 1, name


def test_the_grading_pipeline_imports_pytest_only_when_it_grades():
    """grader test imports pytest and Hypothesis in a thread while the sandbox starts (grading.py): that
    overlap needs grader.grading itself to import neither."""
    done = subprocess.run([sys.executable, "-c", "import sys, grader.grading, grader.cli.grading_commands; "
                           "print(sorted(m for m in ('pytest', 'hypothesis', 'grader.harness.runner') "
                           "if m in sys.modules))"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_grader_test_without_complexity_never_imports_the_complexity_checks(tmp_path):
    """The benchmarks' machinery is imported only when a grade measures complexity."""
    imported_by(["start", "reverse-string", "ws"], tmp_path)
    quick = imported_by(["test", "ws", "--sandbox", "process"], tmp_path, exit_code=1)
    assert "grader.harness.runner" in quick and not any(m.startswith("grader.complexity") for m in quick)
    full = imported_by(["test", "ws", "--sandbox", "process", "--complexity"], tmp_path, exit_code=1)
    assert "grader.complexity.check" not in full     # the stub fails its tests: nothing is measured


FREEZE_PROBE = """
import gc, sys
from pathlib import Path
from grader.catalog import Catalog
from grader.grading import GradeOptions, grade
from grader.sandbox.fake import FakeBackend
challenge = Catalog().get("reverse-string")
folder = Path(sys.argv[1])
options = GradeOptions(max_examples=2, complexity=False)
print(gc.get_freeze_count())
grade(folder, challenge, FakeBackend(), options)
print(gc.get_freeze_count())
grade(folder, challenge, FakeBackend(), options)
print(gc.get_freeze_count())
import pytest  # noqa: F401
"""


def test_the_first_grade_of_a_process_freezes_its_imports_and_later_ones_nothing(tmp_path):
    """gc.freeze() once pytest and Hypothesis are loaded: full collections stop walking them.
    Only the grade that imported them freezes, so a long-lived process keeps its objects collectable."""
    (tmp_path / "solution.py").write_text("def reverse_string(s):\n    return s[::-1]\n")
    done = subprocess.run([sys.executable, "-c", FREEZE_PROBE, str(tmp_path)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    before, first, second = map(int, done.stdout.split())
    assert before == 0 and first > 10_000 and second == first
    preloaded = subprocess.run([sys.executable, "-c", "import grader.harness.runner\n" + FREEZE_PROBE,
                                str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert preloaded.returncode == 0, preloaded.stderr
    assert set(map(int, preloaded.stdout.split())) == {0}
