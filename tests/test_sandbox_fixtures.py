"""A challenge's own helpers inside the sandbox (``sandbox_fixtures.py``):
shipped with the import, registered by name, run before the submission is
imported, and never available to another challenge (issue 14's change of
structure)."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from grader.catalog import Catalog
from grader.grading import GradeOptions, grade
from grader.sandbox.process import ProcessBackend
from tests.conftest import FIXTURE_CHALLENGES

FIXTURES = '''
import os


def before_import(agent):
    os.environ["GRADER_TEST_FIXTURES_READY"] = "yes"


def fixture_pid_and_readiness(agent):
    return [os.getpid(), os.environ.get("GRADER_TEST_FIXTURES_READY")]


FIXTURES = {"pid_and_readiness": fixture_pid_and_readiness}
'''

TEST = '''
import os

from grader.harness.program import Program, Satisfies


def test_the_fixture_runs_in_the_sandbox(candidate):
    """The challenge's fixture answers from inside the sandbox."""
    program = Program()
    program.fixture("pid_and_readiness").expect(Satisfies(
        lambda value: None if value[0] != os.getpid() and value[1] == "yes" else f"got {value!r}",
        "another process's pid, and readiness"))
    candidate.check(program)


def test_the_submission_was_imported_after_before_import(candidate):
    """before_import ran before solution.py was imported."""
    program = Program()
    program.call("ready_at_import").expect("yes")
    candidate.check(program)
'''

SOLUTION = '''
import os

READY = os.environ.get("GRADER_TEST_FIXTURES_READY")


def ready_at_import():
    return READY
'''


def _challenge(root: Path, slug: str, *, fixtures: bool) -> None:
    folder = root / slug
    shutil.copytree(FIXTURE_CHALLENGES / "adder", folder)
    toml = (folder / "challenge.toml").read_text().replace('entry_points = ["add", "Counter"]',
                                                          'entry_points = ["ready_at_import"]')
    (folder / "challenge.toml").write_text(toml.split("[score.tests]")[0])
    for old in (folder / "tests").glob("test_*.py"):
        old.unlink()
    (folder / "tests" / "test_fixtures.py").write_text(TEST)
    if fixtures:
        (folder / "sandbox_fixtures.py").write_text(FIXTURES)


@pytest.fixture
def catalog(tmp_path) -> Catalog:
    root = tmp_path / "challenges"
    _challenge(root, "with-fixtures", fixtures=True)
    _challenge(root, "without-fixtures", fixtures=False)
    return Catalog([root])


def _grade(tmp_path: Path, challenge) -> dict:
    folder = tmp_path / "submission"
    folder.mkdir(exist_ok=True)
    (folder / "solution.py").write_text(textwrap.dedent(SOLUTION))
    return grade(folder, challenge, ProcessBackend(), GradeOptions(max_examples=2)).to_dict()


def test_a_challenges_fixtures_run_in_its_sandbox_before_the_submission(tmp_path, catalog):
    report = _grade(tmp_path, catalog.get("with-fixtures"))
    assert report["verdict"] == "pass", report["correctness"]


def test_another_challenge_has_none_of_them(tmp_path, catalog):
    report = _grade(tmp_path, catalog.get("without-fixtures"))
    tests = {t["name"]: t for t in report["correctness"]["tests"]}
    assert tests["the_fixture_runs_in_the_sandbox"]["status"] != "pass"
    assert "pid_and_readiness" in tests["the_fixture_runs_in_the_sandbox"]["message"]
    assert tests["the_submission_was_imported_after_before_import"]["status"] == "fail"


def test_the_built_in_fixtures_live_in_their_challenges_folders():
    """The agent stays a generic executor: no challenge's helpers in it."""
    source = (Path(__file__).resolve().parents[1] / "grader" / "agent" / "agent.py").read_text()
    for name in ("fixture_linked_list", "fixture_nested_list", "class ListNode", "fixture_timer_probe",
                 "_route_perf_counter", "perf_counter"):
        assert name not in source
    builtin = Catalog()
    assert "fixture_linked_list" in builtin.get("linked-list-cycle").sandbox_fixtures
    assert "fixture_nested_list" in builtin.get("flatten").sandbox_fixtures
    assert "def before_import" in builtin.get("timer-decorator").sandbox_fixtures


def test_the_in_process_fake_backend_loads_the_challenges_fixtures_too():
    """benchmarks/candidate_loop.py times the hidden tests with the fake backend (the cost of the trust
    boundary): it must run a challenge whose tests need its sandbox_fixtures.py, as the agent does."""
    from grader.catalog import Catalog
    from grader.sandbox.fake import FakeBackend
    challenge = Catalog().get("bounded-gather")
    report = grade(challenge.reference_solution(), challenge, FakeBackend(),
                   GradeOptions(seed=0, max_examples=5, complexity=False))
    assert report.verdict == "pass", [(t.name, t.message) for t in report.tests if t.status != "pass"]


def test_the_fake_backend_keeps_the_hosts_gc_callbacks_away_from_a_faked_clock():
    """Hypothesis times garbage collection with a gc callback that reads time.perf_counter. In the fake
    backend's shared process it read timer-decorator's faked clock in the middle of a probe, so the
    reference failed its logging test there (a real agent's process has no such callback). Here a host
    callback reads the clock and collects at every probe: the reference must still pass, and the
    host's callback must be back afterwards."""
    import gc
    import time
    from grader.sandbox.fake import FakeBackend

    def reads_the_clock(phase, info):
        time.perf_counter()

    challenge = Catalog().get("timer-decorator")
    gc.callbacks.append(reads_the_clock)
    threshold = gc.get_threshold()
    gc.set_threshold(1)     # a collection on (almost) every allocation: inside every probe
    try:
        report = grade(challenge.reference_solution(), challenge, FakeBackend(),
                       GradeOptions(seed=0, max_examples=5, complexity=False))
    finally:
        gc.set_threshold(*threshold)
        assert reads_the_clock in gc.callbacks
        gc.callbacks.remove(reads_the_clock)
    assert report.verdict == "pass", [(t.name, t.message) for t in report.tests if t.status != "pass"]
