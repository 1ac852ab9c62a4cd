"""The hidden tests run under the challenge's own rules only: a conftest.py in
a folder above a challenge (a private pack kept inside some project, or this
repository's own tests/conftest.py) is never loaded into the grader's pytest
run, where it could change fixtures, options or outcomes."""

from __future__ import annotations

import shutil
from pathlib import Path

from grader.catalog import Catalog
from grader.grading import GradeOptions, grade
from grader.sandbox.fake import FakeBackend

FIXTURES = Path(__file__).parent / "fixtures"


def test_a_conftest_above_the_challenge_is_not_loaded(tmp_path):
    pack = tmp_path / "project" / "pack"
    shutil.copytree(FIXTURES / "challenges" / "adder", pack / "adder")
    marker = tmp_path / "conftest-ran"
    for folder in (tmp_path / "project", pack):
        (folder / "conftest.py").write_text(
            f"import pathlib\npathlib.Path({str(marker)!r}).write_text('ran')\n"
            "import pytest\n\n@pytest.hookimpl(tryfirst=True)\n"
            "def pytest_runtest_call(item):\n    pytest.skip('a conftest above the challenge decided this')\n")
    submission = tmp_path / "alice"
    shutil.copytree(FIXTURES / "reference" / "adder", submission, ignore=shutil.ignore_patterns("mutants"))
    report = grade(submission, Catalog([pack]).get("adder"), FakeBackend(),
                   GradeOptions(seed=0, max_examples=5, complexity=False))
    assert not marker.exists()
    assert report.verdict == "pass", [(t.name, t.status, t.message) for t in report.tests]
    assert {t.status for t in report.tests} == {"pass"}
