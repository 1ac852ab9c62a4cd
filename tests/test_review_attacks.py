"""Hostile review of today's changes: each test here demonstrates a problem
(it fails until the problem is fixed)."""

from __future__ import annotations

import ast
import io
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from grader.batch.archive import Unpacker, ZipRefused
from grader.catalog import Catalog
from grader.grading import GradeOptions, grade
from grader.rules import check
from grader.sandbox.process import ProcessBackend
from tests.conftest import FIXTURE_CHALLENGES

ROOT = Path(__file__).resolve().parents[1]
INTERFERES = "interferes-with-grader"


def _cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    environ = dict(os.environ, NO_COLOR="1", **(env or {}))
    environ.pop("GRADER_CHALLENGES", None)
    return subprocess.run([sys.executable, "-m", "grader", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, env=environ, timeout=180)


# -- 5. challenge sandbox fixtures: reachable and replaceable, unflagged ---------------------------

# reference/linked-list-cycle/mutants/relinks_to_sentinel.py (destroys the list), plus ~15 lines
# that reach the agent class through pickle (no flagged name: no sys.modules, gc, frames,
# __globals__) and swap the challenge's fixtures so that linked_list_shape reports the list as it
# was built.
HIDES_A_MODIFIED_LIST = '''
import pickle


class Node:
    def __init__(self, val, next=None):
        self.val = val
        self.next = next


_SEEN = Node(None)
_AGENT = pickle.loads(b"c__main__\\nAgent\\n.")
_run_step = _AGENT.run_step
_built = {}


def _swap(fixtures):
    build, shape = fixtures["linked_list"], fixtures["linked_list_shape"]

    def remembering_build(agent, *args, **kwargs):
        head = build(agent, *args, **kwargs)
        _built[id(head)] = shape(agent, head)
        return head

    fixtures["linked_list"] = remembering_build
    fixtures["linked_list_shape"] = lambda agent, head: _built.get(id(head)) or shape(agent, head)


def run_step(self, step):
    if getattr(self.fixtures.get("linked_list"), "__name__", "") != "remembering_build":
        _swap(self.fixtures)
    return _run_step(self, step)


def install(cls):
    cls.run_step = run_step


install(_AGENT)


def has_cycle(head):
    node = head
    while node is not None:
        if node.next is _SEEN:
            return True
        following = node.next
        node.next = _SEEN
        node = following
    return False


def cycle_start(head):
    slow = fast = head
    while fast is not None and fast.next is not None:
        slow = slow.next
        fast = fast.next.next
        if slow is fast:
            first = head
            while first is not slow:
                first = first.next
                slow = slow.next
            return first
    return None
'''


def test_a_submission_that_replaces_its_challenges_fixtures_is_caught(tmp_path):
    """relinks_to_sentinel fails the_list_is_not_modified on its own; with the fixtures swapped
    through pickle it passes it, and no rule reports the code."""
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / "solution.py").write_text(HIDES_A_MODIFIED_LIST)
    report = grade(folder, Catalog().get("linked-list-cycle"), ProcessBackend(use_bwrap=False),
                   GradeOptions(max_examples=20, complexity=False)).to_dict()
    tests = {t["name"]: t for t in report["correctness"]["tests"]}
    flagged = [f for f in report["rules"] if f["rule"] == INTERFERES]
    assert flagged or tests["the_list_is_not_modified"]["status"] != "pass", (
        "the list was modified (every next points at a sentinel), the swapped fixture said it was not, "
        "and no rule reported the code")


@pytest.mark.parametrize("source", [
    # the agent module (__main__) through importers that are not on the rules' tables
    "import pickle\nAgent = pickle.loads(b'c__main__\\nAgent\\n.')\n",
    "import pydoc\nAgent = pydoc.locate('__main__.Agent')\n",
    "from unittest import mock\nmock.patch('__main__.encode', lambda value: {}).start()\n",
    "import typing\nclass C:\n    __module__ = '__main__'\n    x: 'Agent'\nAgent = typing.get_type_hints(C)['x']\n",
    # the challenge fixtures' own class, rewritten through an object the grader passed in
    "def has_cycle(head):\n    type(head).next = property(lambda node: None)\n",
    "def has_cycle(head):\n    setattr(type(head), 'next', None)\n",
    "class Fake:\n    pass\ndef has_cycle(head):\n    head.__class__ = Fake\n",
], ids=["pickle", "pydoc.locate", "mock.patch", "typing.get_type_hints", "type(x).attr=", "setattr(type(x))",
        "__class__="])
def test_ways_into_the_agent_and_its_fixtures_are_reported(source):
    """Each of these reaches the agent module or rewrites the grader's fixture class; all run in
    the sandbox (checked by hand: pickle/pydoc/typing return __main__.Agent, mock.patch replaces it)."""
    findings = check({"solution.py": ast.parse(textwrap.dedent(source))}, [])
    assert any(f.rule == INTERFERES for f in findings), source


# -- 3. kit-root grading: one folder stops them all ---------------------------------------------

def test_a_stray_folder_at_a_kits_root_does_not_stop_the_other_challenges(tmp_path):
    """A scratch folder with a solution.py (no marker, no challenge name) sorted first: nothing is
    graded at all, no table, exit 2; the other challenges should be graded and the stray one an
    error row."""
    kit = tmp_path / "kit"
    for name in ("aaa-scratch", "first"):
        (kit / name).mkdir(parents=True)
        (kit / name / "solution.py").write_bytes(
            (ROOT / "tests" / "fixtures" / "reference" / "adder" / "solution.py").read_bytes())
    (kit / "first" / ".grader.toml").write_text('challenge = "adder"\n')
    result = _cli("--challenges-dir", str(FIXTURE_CHALLENGES), "test", "--sandbox", "process", cwd=kit)
    assert "Every challenge in this folder" in result.stdout, result.stdout + result.stderr
    assert "adder: PASS" in result.stdout, result.stdout + result.stderr


# -- 4. zips -------------------------------------------------------------------------------------

def test_a_zip_of_many_one_mib_entries_is_a_zip_bomb_too(tmp_path):
    """The ratio check skips entries up to 1 MiB: 63 of them (zeros) pack into ~70 KB and unpack
    to 63 MiB (~900x), accepted. Refusing 'a 100x ratio' should hold for the zip as a whole."""
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("lru-cache/solution.py", "x = 1\n")
        for index in range(63):
            archive.writestr(f"lru-cache/pad{index}.bin", bytes(1 << 20))
    bomb = tmp_path / "bomb.zip"
    bomb.write_bytes(data.getvalue())
    assert bomb.stat().st_size < 100_000
    with Unpacker() as unpacker:
        with pytest.raises(ZipRefused):
            unpacked = unpacker.unpack(bomb)
            written = sum(p.stat().st_size for p in unpacked.root.rglob("*") if p.is_file())
            print(f"{bomb.stat().st_size} bytes unpacked to {written} bytes")


def test_the_next_grade_removes_the_unpacked_zips_of_a_killed_grader(tmp_path):
    """kill -9 of `grader grade` leaves <TMPDIR>/grader-sandbox-<pid>-<start>-*/0/<zip>/... (the
    candidates' code); only `grader cleanup` removes it, the next `grader grade` does not."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = tmp / f"grader-sandbox-{dead.pid}-1-abcdefgh" / "0" / "alice" / "lru-cache"
    stale.mkdir(parents=True)
    (stale / "solution.py").write_text("x = 1\n")
    subs = tmp_path / "subs"
    subs.mkdir()
    with zipfile.ZipFile(subs / "alice.zip", "w") as archive:
        archive.writestr("lru-cache/solution.py", (ROOT / "reference" / "lru-cache" / "solution.py").read_text())
    result = _cli("grade", str(subs), "--sandbox", "process", "-j", "1", "--no-complexity",
                  "--db", str(tmp_path / "r.db"), env={"TMPDIR": str(tmp)})
    assert result.returncode in (0, 1), result.stdout + result.stderr
    assert not (tmp / stale.relative_to(tmp).parts[0]).exists(), "a killed grader's unpacked zip is still there"


# -- 2. workspace markers ------------------------------------------------------------------------

def test_a_marker_never_replaces_a_built_in_challenge(tmp_path):
    """challenge = "sub/lru-cache" is not a built-in slug, so challenges_dir is consulted and
    Path(dir) / "sub/lru-cache" is loaded under its folder name, 'lru-cache': the built-in is
    replaced in the catalog (the command then fails on get("sub/lru-cache"), so today nothing is
    graded with it: contained by accident). A slug with '/' (or '.', '..') should be refused first."""
    from rich.console import Console

    from grader.cli.grading_commands import _find_recorded_challenge
    from grader.submission import Marker

    import shutil
    shutil.copytree(FIXTURE_CHALLENGES / "adder", tmp_path / "sub" / "lru-cache")

    class State:
        catalog = Catalog()
        err = Console(stderr=True)

    built_in = State.catalog.get("lru-cache").folder
    try:
        _find_recorded_challenge(State, Marker(tmp_path / ".grader.toml", "sub/lru-cache",
                                               challenges_dir=str(tmp_path)))
    except Exception:       # noqa: BLE001 - refusing it is the fix
        pass
    assert State.catalog.get("lru-cache").folder == built_in
