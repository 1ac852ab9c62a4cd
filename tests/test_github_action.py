"""The composite action (action.yml) and the workflow examples: valid YAML,
every input they use is declared, and the grading step builds the command
line it should from its inputs, run for real in bash with a stand-in
``grader`` that records its arguments."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
EXAMPLES = sorted((ROOT / "examples" / "github").glob("*.yml"))


def _grade_step() -> dict:
    (step,) = [s for s in ACTION["runs"]["steps"] if s.get("name") == "Grade"]
    return step


def test_action_is_a_composite_whose_steps_only_use_declared_inputs():
    assert ACTION["runs"]["using"] == "composite"
    used = set(re.findall(r"inputs\.([A-Za-z0-9_-]+)", (ROOT / "action.yml").read_text()))
    assert used and used <= set(ACTION["inputs"])
    assert all(step.get("shell") == "bash" for step in ACTION["runs"]["steps"] if "run" in step)
    # Inputs reach the script through the environment, never pasted into it (script injection).
    assert "${{" not in _grade_step()["run"]


def _run_grade_step(tmp_path: Path, **inputs: str) -> list[str]:
    stub = tmp_path / "bin" / "grader"
    stub.parent.mkdir()
    stub.write_text('#!/bin/bash\nprintf "%s\\n" "$@" > "$ARGS_FILE"\nprintf "%s\\n" "${GRADER_CHALLENGES-unset}" '
                    '>> "$ARGS_FILE"\n')
    stub.chmod(0o755)
    env = {name: str(ACTION["inputs"][name].get("default", "")) for name in ACTION["inputs"]}
    env.update(inputs)
    step_env = {key: value for key, value in _grade_step()["env"].items()}
    resolved = {key: re.sub(r"\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}", lambda m: env[m.group(1)], value)
                for key, value in step_env.items()}
    args_file = tmp_path / "args"
    subprocess.run(["bash", "-e", "-c", _grade_step()["run"]], check=True, cwd=tmp_path,
                   env=dict(os.environ, PATH=f"{stub.parent}:{os.environ['PATH']}", ARGS_FILE=str(args_file),
                            **resolved))
    return args_file.read_text().splitlines()


def test_the_grade_step_builds_the_command_line_from_the_inputs(tmp_path):
    args = _run_grade_step(tmp_path, **{"paths": "subs/a subs/b", "min-score": "80", "shard": "2/4",
                                        "formats": "github junit", "challenges-dir": "private"})
    assert args == ["grade", "subs/a", "subs/b", "--format", "github", "--format", "junit",
                    "--output-dir", "grader-results", "--db", "grader-results/grader-results.db",
                    "--sandbox", "docker", "--seed", "0", "--min-score", "80", "--shard", "2/4", "private"]


def test_empty_inputs_add_no_options(tmp_path):
    args = _run_grade_step(tmp_path)
    assert "--min-score" not in args and "--shard" not in args and "--jobs" not in args
    assert args[-1] == "unset"      # an empty challenges-dir does not set GRADER_CHALLENGES to ""


def test_workflow_examples_are_valid_and_use_commands_that_exist():
    from click.testing import CliRunner
    from grader.cli.main import cli
    assert EXAMPLES
    for path in EXAMPLES:
        workflow = yaml.safe_load(path.read_text())
        assert workflow["jobs"], path
        for job in workflow["jobs"].values():
            for step in job["steps"]:
                for command in re.findall(r"\bgrader (\w+)", step.get("run", "")):
                    result = CliRunner().invoke(cli, [command, "--help"])
                    assert result.exit_code == 0, (path, command, result.output)
                for option in re.findall(r"(--[a-z-]+)", step.get("run", "")):
                    commands = re.findall(r"\bgrader (\w+)", step["run"])
                    helps = "".join(CliRunner().invoke(cli, [c, "--help"]).output for c in commands)
                    assert option in helps or option == "--quiet", (path, option)
