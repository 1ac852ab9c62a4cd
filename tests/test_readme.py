"""The README's copy-paste examples for CI, shards and assessors work as
written: each shell block runs in a scratch copy of the repository's
reference solutions, with the installed ``grader`` on PATH."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BLOCKS = re.findall(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(), flags=re.S)


def block_with(text: str) -> str:
    (found,) = [block for block in BLOCKS if text in block]
    return found


def run(block: str, cwd: Path) -> subprocess.CompletedProcess:
    grader_bin = shutil.which("grader") or str(Path(sys.executable).parent / "grader")
    path = f"{Path(grader_bin).parent}{os.pathsep}{os.environ['PATH']}"
    env = {key: value for key, value in os.environ.items() if not key.startswith("GRADER_")}
    return subprocess.run(["bash", "-c", block], cwd=cwd, capture_output=True, text=True, timeout=600,
                          env=dict(env, PATH=path, NO_COLOR="1", PYTHONPATH=str(ROOT)))


@pytest.fixture
def clone(tmp_path) -> Path:
    shutil.copytree(ROOT / "reference", tmp_path / "reference")
    return tmp_path


def test_the_ci_and_shard_examples_work(clone):
    batch = run(block_with("grader grade batch --jobs 2"), clone)
    assert batch.returncode == 0, batch.stderr
    assert {p.name for p in (clone / "results").iterdir()} >= {"junit.xml", "results.csv", "results.jsonl"}
    shards = run(block_with("grader merge shard1.db"), clone)
    assert shards.returncode == 0, shards.stderr
    assert (clone / "results" / "report.html").is_file() and (clone / "all.db").is_file()


def test_the_assessor_example_works(clone):
    """Then the CI and shard examples in the same shell and clone, as a
    reader following the README in order would: they all wrote results/,
    and the CI run overwrote the signed results.jsonl verify then rejected."""
    assessor = block_with("grader kit take-home/grader.toml")
    # The block's own random key, fixed so that the second shell below has it too.
    key = "export GRADER_SIGNING_KEY=" + "ab" * 32 + "\n"
    lines = [line for line in assessor.splitlines() if not line.startswith("export GRADER_SIGNING_KEY=")]
    assert len(lines) == len(assessor.splitlines()) - 1
    result = run(key + "\n".join(lines), clone)
    # `grader grade` exits 1 there (bob's pair-sum is the stub); the last command, verify, must pass.
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    results = clone / "take-home" / "results"
    assert (clone / "kit" / "grader.toml").is_file() and (results / "assessment.csv").is_file()
    verify = lines[-1]
    assert verify.startswith("grader verify")
    again = run(key + "\n".join([block_with("grader grade batch --jobs 2"), block_with("grader merge shard1.db"),
                                  verify]), clone)
    assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-3000:]
    totals = (results / "assessment.csv").read_text()
    assert "alice" in totals and "bob" in totals
    assert "4 verified, 0 failed" in result.stdout + result.stderr


def test_the_offline_snippet_grades_from_the_clones_root():
    """`grader submit lru-cache` failed there: no such folder at the root."""
    [block] = [block for block in BLOCKS if "docker import" in block and "grader submit" in block]
    path = block.split("grader submit ", 1)[1].split()[0]
    assert (ROOT / path / "solution.py").is_file(), path
