"""``grader test --watch``: what changed between two runs (grader/report/changes.py),
the polling and its debouncing (grader/cli/watch.py), and the real loop: a
workspace made by ``grader start``, saves of real files, the process
sandbox, Ctrl-C leaving nothing behind."""

from __future__ import annotations

import _thread
import dataclasses
import io
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import click
import pytest
from rich.console import Console

from grader.cli import interrupts, watch
from grader.cli.context import AppState
from grader.errors import UsageError
from grader.report.changes import compare, rich_change
from grader.report.model import Report, RuleFinding
from grader.report import model

ROOT = Path(__file__).resolve().parents[1]
MUTANTS = ROOT / "reference" / "lru-cache" / "mutants"
KEEP = {"grader-uids"}      # uid lock files, which stay by design (as in test_leftovers.py)


def report(statuses: dict, verdict: str | None = None, score: float = 0.0, **fields) -> Report:
    tests = tuple(model.TestResult(name, status, message=f"{name} went wrong" if status != "pass" else "",
                             counterexample=f"c = Thing(); c.{name}() -> boom" if status != "pass" else "")
                  for name, status in statuses.items())
    if verdict is None:
        verdict = "pass" if all(t.status == "pass" for t in tests) else "fail"
    return Report(challenge="lru-cache", verdict=verdict, score=score, max_score=100, tests=tests, complexity=(),
                  rules=fields.pop("rules", ()), timed_out=False, memory_exceeded=False, sandbox="process", seed=0,
                  submission_sha256="0" * 64, **fields)


def text_of(renderable, width: int = 100) -> str:
    console = Console(file=io.StringIO(), width=width, no_color=True, color_system=None)
    console.print(renderable)
    return console.file.getvalue()


# -- the change between two runs ---------------------------------------------------------

def test_compare_names_what_passes_and_fails_now_and_keeps_the_first_failure_in_view():
    before = report({"a": "pass", "b": "fail", "c": "fail", "d": "pass", "e": "fail"}, score=40)
    after = report({"a": "pass", "b": "pass", "c": "timeout", "d": "fail", "e": "error"}, score=40)
    change = compare(before, after)
    assert change.newly_passing == ("b",)
    assert change.newly_failing == ("d",)
    assert (change.still_passing, change.still_failing) == (1, 2)    # c and e failed before too
    assert change.focus.name == "c" and change.verdict == ("fail", "fail")


def test_a_test_the_last_run_did_not_have_counts_as_changed_either_way():
    before = report({"a": "fail"})
    after = report({"a": "fail", "new_pass": "pass", "new_fail": "fail"})
    change = compare(before, after)
    assert change.newly_passing == ("new_pass",) and change.newly_failing == ("new_fail",)


def test_the_focus_is_a_scored_test_before_a_bonus_one():
    after = report({"bonus_fast": "fail", "core": "fail"})
    assert compare(report({}), after).focus.name == "core"
    assert compare(report({}), report({"bonus_fast": "fail", "core": "pass"})).focus.name == "bonus_fast"


def test_the_change_shows_names_verdict_score_and_the_counterexample():
    before = report({"get_refreshes": "fail", "evicts": "pass", "capacity": "fail"}, score=30)
    after = report({"get_refreshes": "pass", "evicts": "fail", "capacity": "fail"}, score=45,
                   message="2 of 3 hidden tests do not pass.")
    text = text_of(rich_change(compare(before, after), after))
    assert "newly passing: get_refreshes" in text and "newly failing: evicts" in text
    assert "FAIL  score 30.0 -> 45.0/100" in text and "2 of 3 hidden tests do not pass." in text
    assert "evicts (fail)" in text and "c = Thing(); c.evicts() -> boom" in text   # the first failure's panel
    assert "unchanged: 0 passing, 1 failing" in text


def test_when_everything_passes_it_says_so():
    before = report({"a": "fail", "b": "pass"}, score=50)
    after = report({"a": "pass", "b": "pass"}, score=100, message="All 2 hidden tests pass.")
    text = text_of(rich_change(compare(before, after), after))
    assert "FAIL -> PASS  score 50.0 -> 100.0/100" in text
    assert "every test passes" in text and "newly failing" not in text


def test_every_test_passing_but_a_rule_broken_shows_the_rule():
    rule = RuleFinding("forbidden-import", "collections.OrderedDict", 1)
    after = report({"a": "pass"}, verdict="fail", rules=(rule,))
    text = text_of(rich_change(compare(report({"a": "fail"}), after), after))
    assert "solution.py line 1: forbidden-import: collections.OrderedDict" in text


def test_a_long_counterexample_keeps_its_first_line_and_its_end():
    calls = "c = LRUCache(300)\n" + "\n".join(f"c.put({i}, {i})" for i in range(300)) + "\nc.get(0) -> returned -1"
    after = dataclasses.replace(report({"large": "fail"}), tests=(model.TestResult("large", "fail", "wrong", calls),))
    text = text_of(rich_change(compare(report({}), after), after, max_lines=8))
    assert "c = LRUCache(300)" in text and "c.get(0) -> returned -1" in text and "c.put(298, 298)" in text
    assert "c.put(5, 5)" not in text and "(295 lines not shown; `grader test` shows them all)" in text
    assert "c.put(150, 150)" in text_of(rich_change(compare(report({}), after), after))     # no limit: all of it


def test_the_change_fits_a_narrow_terminal():
    after = report({"a_rather_long_test_name_" + str(i): "pass" for i in range(6)})
    lines = text_of(rich_change(compare(report({}), after), after), width=40).splitlines()
    assert lines and max(len(line) for line in lines) <= 40


# -- polling and debouncing --------------------------------------------------------------

def test_the_snapshot_sees_py_files_only_and_not_hidden_files_or_caches(tmp_path):
    (tmp_path / "solution.py").write_text("x = 1\n")
    (tmp_path / "helpers").mkdir()
    (tmp_path / "helpers" / "util.py").write_text("y = 2\n")
    for ignored in (".solution.py.swp", ".#solution.py", "solution.py~", "4913", "notes.txt"):
        (tmp_path / ignored).write_text("")
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "solution.cpython-312.py").write_text("")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "thing.py").write_text("")
    assert sorted(watch.snapshot(tmp_path)) == ["helpers/util.py", "solution.py"]
    assert sorted(watch.snapshot(tmp_path / "solution.py")) == ["solution.py"]   # a single-file submission


def test_saves_creations_removals_and_renames_are_changes(tmp_path):
    solution = tmp_path / "solution.py"
    solution.write_text("x = 1\n")
    first = watch.snapshot(tmp_path)
    (tmp_path / ".solution.py.tmp").write_text("x = 2\n")          # an editor's save: temp file, then rename
    os.replace(tmp_path / ".solution.py.tmp", solution)
    second = watch.snapshot(tmp_path)
    assert second != first and watch.changed_files(first, second) == ["solution.py saved"]
    (tmp_path / "extra.py").write_text("")
    third = watch.snapshot(tmp_path)
    assert watch.changed_files(second, third) == ["extra.py added"]
    os.rename(tmp_path / "extra.py", tmp_path / "renamed.py")
    assert watch.changed_files(third, watch.snapshot(tmp_path)) == ["extra.py removed", "renamed.py added"]
    (tmp_path / "notes.txt").write_text("not code")
    assert watch.snapshot(tmp_path) == watch.snapshot(tmp_path)


def test_a_hostile_folder_neither_blocks_nor_breaks_the_snapshot(tmp_path):
    os.mkfifo(tmp_path / "pipe.py")                     # a stat never opens it, so never waits for a writer
    (tmp_path / "gone.py").symlink_to(tmp_path / "nowhere.py")
    state = watch.snapshot(tmp_path)
    assert state["gone.py"] is None and state["pipe.py"] is not None
    (tmp_path / "loop.py").symlink_to(tmp_path / "loop.py")
    (problem,) = watch.snapshot(tmp_path).values()      # what grading says too (test_submission_robust.py)
    assert "loop.py cannot be read: Too many levels of symbolic links" in problem
    (tmp_path / "loop.py").unlink()
    many = tmp_path / "many"
    many.mkdir()
    for i in range(10_001):                              # past the walk's cap: a problem, not an endless walk
        (many / f"f{i}").touch()
    problem = watch.snapshot(tmp_path)
    assert len(problem) == 1 and "more than 10,000 files" in next(iter(problem.values()))


class FakeTime:
    """A clock that moves only when the code under test sleeps, doing the
    file operations scheduled for the moments it passes."""

    def __init__(self, actions):
        self.now = 0.0
        self.actions = sorted(actions, key=lambda pair: pair[0])
        self.sleeps = 0

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps += 1
        assert self.sleeps < 10_000, "never returned"
        self.now += seconds
        while self.actions and self.actions[0][0] <= self.now:
            self.actions.pop(0)[1]()


def _save(path: Path, text: str):
    return lambda: path.write_text(text)


def test_a_burst_of_saves_gives_one_change_once_the_files_are_quiet(tmp_path):
    solution = tmp_path / "solution.py"
    solution.write_text("v = 0\n")
    seen = watch.snapshot(tmp_path)
    fake = FakeTime([(1.0 + 0.1 * i, _save(solution, f"v = {i}\n" + " " * i)) for i in range(1, 6)])
    settled = watch.wait_for_change(tmp_path, seen, sleep=fake.sleep, clock=fake.clock)
    assert not fake.actions, "returned before the burst was over"
    assert fake.now >= 1.5 + watch.QUIET_SECONDS - 1e-9       # quiet for QUIET_SECONDS after the last save
    assert fake.now < 1.5 + watch.QUIET_SECONDS + watch.POLL_SECONDS + 1e-9
    assert settled == watch.snapshot(tmp_path) and solution.read_text().startswith("v = 5")


def test_a_file_made_and_removed_within_a_burst_is_no_change(tmp_path):
    (tmp_path / "solution.py").write_text("v = 0\n")
    seen = watch.snapshot(tmp_path)
    scratch = tmp_path / "scratch.py"
    fake = FakeTime([(0.5, _save(scratch, "")), (0.6, scratch.unlink),
                     (3.0, _save(tmp_path / "solution.py", "v = 1\n"))])
    watch.wait_for_change(tmp_path, seen, sleep=fake.sleep, clock=fake.clock)
    assert fake.now >= 3.0 + watch.QUIET_SECONDS - 1e-9     # only the real save ended the wait


# -- the loop, with a stand-in for grading -----------------------------------------------

def _state() -> AppState:
    state = AppState(challenge_dirs=[])
    state.out = Console(file=io.StringIO(), width=100, no_color=True, color_system=None)
    state.err = Console(file=io.StringIO(), width=100, no_color=True, color_system=None)
    return state


def test_the_loop_runs_once_more_after_saves_during_a_run_compares_with_the_last_graded_run(
        tmp_path, monkeypatch):
    monkeypatch.setattr(interrupts, "_announced", [])
    solution = tmp_path / "solution.py"
    solution.write_text("v = 0\n")
    runs, running = [], []

    def grade_one(path: Path) -> Report:
        assert not running, "two runs at once"
        running.append(1)
        try:
            runs.append(time.monotonic())
            if len(runs) == 1:          # three saves while the first run grades: one more run, not three
                for i in range(3):
                    solution.write_text(f"v = {i + 1}\n" + " " * i)
                return report({"a": "fail", "b": "pass", "c": "fail"}, score=50)
            if len(runs) == 2:
                solution.write_text("v = (\n")
                return report({}, verdict="error", message="solution.py line 1: '(' was never closed")
            if len(runs) == 3:
                solution.write_text("v = 3\n")
                raise UsageError("tmp does not exist. Give the folder that holds your solution.py.")
            threading.Timer(1.5, _thread.interrupt_main).start()    # Ctrl-C, once run 4 is shown
            return report({"a": "pass", "b": "fail", "c": "fail"}, score=50)
        finally:
            running.pop()

    state = _state()
    with pytest.raises(click.exceptions.Abort):
        watch.watch(state, tmp_path, grade_one, lambda r: state.out.print(f"FULL REPORT {r.verdict}"), "full")
    out = state.out.file.getvalue()
    assert len(runs) == 4, out
    assert out.count("FULL REPORT") == 1 and out.startswith("FULL REPORT fail")
    assert "Run 2 at " in out and "not graded" in out and "'(' was never closed" in out
    assert "Run 3 at " in out and "tmp does not exist" in out       # a run that raised: said, and watching on
    run_four = out[out.index("Run 4 at "):]
    # Compared with run 1, the last that graded the tests (not with the error runs).
    assert "newly passing: a\n" in run_four and "newly failing: b\n" in run_four
    assert "unchanged: 0 passing, 1 failing" in run_four     # c, which failed in run 1 too
    assert state.err.file.getvalue() == "Stopped watching.\n"


def test_after_a_first_run_that_could_not_grade_the_first_graded_run_shows_the_whole_report(tmp_path, monkeypatch):
    monkeypatch.setattr(interrupts, "_announced", [])
    (tmp_path / "solution.py").write_text("v = (\n")
    results = iter([report({}, verdict="error", message="syntax error"), report({"a": "fail"}),
                    report({"a": "pass"}, score=100)])

    def grade_one(path):
        result = next(results, None)
        if result is None:
            raise KeyboardInterrupt
        (tmp_path / "solution.py").write_text(f"v = {time.monotonic()}\n")
        return result

    state = _state()
    with pytest.raises(click.exceptions.Abort):
        watch.watch(state, tmp_path, grade_one, lambda r: state.out.print(f"FULL REPORT {r.verdict}"), "full")
    out = state.out.file.getvalue()
    assert out.count("FULL REPORT") == 2 and "FULL REPORT error" in out and "FULL REPORT fail" in out
    assert "newly passing: a" in out.split("Run 3 at ")[1]


def test_feedback_level_summary_shows_names_without_counterexamples(tmp_path, monkeypatch):
    monkeypatch.setattr(interrupts, "_announced", [])
    (tmp_path / "solution.py").write_text("v = 0\n")
    results = iter([report({"a": "fail", "b": "fail"}), report({"a": "pass", "b": "fail"})])

    def grade_one(path):
        result = next(results, None)
        if result is None:
            raise KeyboardInterrupt
        (tmp_path / "solution.py").write_text(f"v = {time.monotonic()}\n")
        return result

    state = _state()
    with pytest.raises(click.exceptions.Abort):
        watch.watch(state, tmp_path, grade_one, lambda r: None, "summary")
    out = state.out.file.getvalue()
    assert "newly passing: a" in out and "b (fail)" in out
    assert "went wrong" not in out and "boom" not in out


# -- the real thing: grader start, saves, the process sandbox, Ctrl-C ---------------------

def _default_signals() -> None:
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)


class Output:
    """A pipe read on a thread, so the test can wait for text without blocking on it."""

    def __init__(self, stream):
        self.text = ""
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream) -> None:
        for chunk in iter(lambda: stream.read1(4096), b""):
            with self._lock:
                self.text += chunk.decode("utf-8", "replace")

    def wait_for(self, text: str, process: subprocess.Popen, seconds: float = 90) -> str:
        deadline = time.monotonic() + seconds
        while text not in self.text:
            assert process.poll() is None, f"the grader ended before {text!r}:\n{self.text[-3000:]}"
            assert time.monotonic() < deadline, f"timed out waiting for {text!r}:\n{self.text[-3000:]}"
            time.sleep(0.05)
        return self.text

    def join(self) -> str:
        self._thread.join(timeout=10)
        return self.text


def _replace(solution: Path, content: str) -> None:
    """Save as editors do: write a temporary file beside it, then rename it over."""
    temporary = solution.with_name(".solution.py.swp")
    temporary.write_text(content)
    os.replace(temporary, solution)


def test_watching_a_real_workspace_reports_each_save_and_ctrl_c_leaves_nothing(tmp_path):
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    env = dict(os.environ, TMPDIR=str(tmpdir), NO_COLOR="1", PYTHONPATH=str(ROOT), COLUMNS="100")
    subprocess.run([sys.executable, "-m", "grader", "start", "lru-cache", str(tmp_path / "ws")], env=env,
                   check=True, capture_output=True)
    solution = tmp_path / "ws" / "solution.py"
    process = subprocess.Popen([sys.executable, "-m", "grader", "test", "--watch", "--sandbox", "process",
                                str(tmp_path / "ws")], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, start_new_session=True, preexec_fn=_default_signals)
    out, err = Output(process.stdout), Output(process.stderr)
    try:
        out.wait_for("Watching", process)
        assert "8 of 8 hidden tests do not pass" in out.text        # the first run: the whole report (the stub)

        _replace(solution, (MUTANTS / "get_does_not_refresh.py").read_text())
        run_two = out.wait_for("unchanged:", process).split("Run 2 at ")[1]
        assert "solution.py saved" in run_two
        assert ("newly passing: capacity_below_one_raises_value_error, get_of_missing_key_returns_minus_one, "
                "fills_to_capacity_without_evicting, evicts_the_least_recently_used_key, "
                "updating_a_key_never_evicts_and_refreshes_it") in " ".join(run_two.split())
        assert "newly failing" not in run_two
        assert "behaves_like_an_lru_cache (fail)" in run_two         # the first failure's counterexample
        assert "c = LRUCache(" in run_two

        fixed = (ROOT / "reference" / "lru-cache" / "solution.py").read_text()
        for i in range(4):              # one burst: four saves, then the editor's rename
            solution.write_text(fixed + "\n" * i)
            time.sleep(0.02)
        _replace(solution, fixed)
        run_three = out.wait_for("every test passes", process).split("Run 3 at ")[1]
        assert "FAIL -> PASS" in run_three
        assert ("newly passing: behaves_like_an_lru_cache, get_makes_a_key_most_recently_used, "
                "a_large_cache_holds_exactly_its_capacity") in " ".join(run_three.split())
        time.sleep(2)                   # long enough for a second run of the same burst to show
        assert "Run 4 at" not in out.text, "one burst of saves gave more than one run"

        _replace(solution, "class LRUCache(\n")
        out.wait_for("not graded", process)
        _replace(solution, (MUTANTS / "no_capacity_check.py").read_text())
        run_five = out.wait_for("newly failing", process).split("Run 5 at ")[1]
        assert "PASS -> FAIL" in run_five                           # compared with run 3, the last graded
        assert "newly failing: capacity_below_one_raises_value_error" in run_five
        assert "newly passing" not in run_five

        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    stderr = err.join()
    assert process.returncode == 130, (process.returncode, stderr[-2000:])
    assert stderr.count("Stopped watching.") == 1 and "Interrupted" not in stderr
    assert "Traceback" not in stderr
    assert sorted(entry.name for entry in tmpdir.iterdir() if entry.name not in KEEP) == []


def test_ctrl_c_in_the_middle_of_a_run_stops_the_sandbox_and_leaves_nothing(tmp_path):
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    folder = tmp_path / "reverse-string"
    folder.mkdir()
    (folder / "solution.py").write_text("def reverse_string(s):\n    return s[::-1]\n")
    env = dict(os.environ, TMPDIR=str(tmpdir), NO_COLOR="1", PYTHONPATH=str(ROOT))
    process = subprocess.Popen([sys.executable, "-m", "grader", "test", "--watch", "--sandbox", "process",
                                str(folder)], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, start_new_session=True, preexec_fn=_default_signals)
    out, err = Output(process.stdout), Output(process.stderr)
    try:
        out.wait_for("Watching", process)
        (folder / "solution.py").write_text("import time\n\n\ndef reverse_string(s):\n    time.sleep(5)\n"
                                            "    return s[::-1]\n")
        deadline = time.monotonic() + 60
        while not any(entry.name.startswith("grader-sandbox-") for entry in tmpdir.iterdir()):
            assert time.monotonic() < deadline and process.poll() is None, out.text[-2000:]
            time.sleep(0.05)
        time.sleep(0.5)                 # inside the five-second call
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    stderr = err.join()
    assert process.returncode == 130, (process.returncode, stderr[-2000:])
    assert stderr.count("Stopped watching.") == 1 and "Traceback" not in stderr
    assert sorted(entry.name for entry in tmpdir.iterdir() if entry.name not in KEEP) == []


def test_a_kit_root_is_refused_with_a_usage_error(tmp_path):
    for slug in ("lru-cache", "pair-sum"):
        subprocess.run([sys.executable, "-m", "grader", "start", slug, str(tmp_path / "kit" / slug)], check=True,
                       capture_output=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    result = subprocess.run([sys.executable, "-m", "grader", "test", "--watch", str(tmp_path / "kit")],
                            capture_output=True, text=True, timeout=60,
                            env=dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1"))
    assert result.returncode == 2, result.stderr
    assert "--watch follows one submission" in result.stderr and "Traceback" not in result.stderr
