"""Shared fixtures: the fixture challenge, grading helpers, sandbox backends."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from grader.catalog import Catalog
from grader.grading import GradeOptions, grade
from grader.sandbox import bubblewrap
from grader.sandbox.process import ProcessBackend

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_CHALLENGES = FIXTURES / "challenges"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return Catalog([FIXTURE_CHALLENGES])


@pytest.fixture(scope="session")
def adder(catalog):
    return catalog.get("adder")


def _backends():
    params = [pytest.param(ProcessBackend(use_bwrap=False), id="process")]
    params.append(pytest.param(
        ProcessBackend(use_bwrap=True), id="process+bwrap",
        marks=pytest.mark.skipif(not bubblewrap.usable(), reason="bubblewrap does not work here")))
    return params


@pytest.fixture(params=_backends())
def backend(request):
    return request.param


@pytest.fixture
def write_submission(tmp_path):
    """Write ``solution.py`` (and other files) into a fresh folder."""

    def write(source: str | None = None, **files: str) -> Path:
        folder = tmp_path / "submission"
        folder.mkdir(exist_ok=True)
        if source is not None:
            (folder / "solution.py").write_text(textwrap.dedent(source), encoding="utf-8")
        for name, content in files.items():
            (folder / name.replace("__", ".")).write_text(textwrap.dedent(content), encoding="utf-8")
        return folder

    return write


@pytest.fixture
def grade_adder(adder, write_submission, backend):
    """Grade a source against the fixture challenge; returns the report dict."""

    def run(source: str, *, examples: int = 10, seed: int = 0, backend_override=None) -> dict:
        folder = write_submission(source)
        report = grade(folder, adder, backend_override or backend, GradeOptions(seed=seed, max_examples=examples))
        return report.to_dict()

    return run
