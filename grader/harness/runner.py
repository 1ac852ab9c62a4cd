"""Runs a challenge's hidden tests in this process with pytest + Hypothesis.

Deterministic for a seed, no Hypothesis database, no files written next to
the tests or the submission, nothing printed: results come back as data.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterator

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis.configuration import set_hypothesis_home_dir

from grader.errors import InternalError
from grader.harness.candidate import Candidate
from grader.harness.plugin import HarnessPlugin
from grader.report.model import TestResult
from grader.sandbox import scratch

PROFILE = "grader"
# Plugins that cost time per run or write files, and that hidden tests do not need.
UNUSED_PYTEST_PLUGINS = ("cacheprovider", "terminal", "stepwise", "unraisableexception", "threadexception",
                         "faulthandler", "doctest", "junitxml", "pastebin", "legacypath", "tmpdir",
                         "monkeypatch", "recwarn", "setuponly", "setupplan", "debugging", "warnings",
                         # hidden tests are functions taking `candidate`: no TestCase classes, no
                         # caplog, no subtests; the logging plugin also wrapped every test's phases
                         "unittest", "logging", "subtests")


def _hypothesis_home() -> Path:
    """Hypothesis keeps a Unicode table cache; keep it in the user's cache folder."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    home = Path(base) / "grader" / "hypothesis"
    try:
        home.mkdir(parents=True, exist_ok=True)
        return home
    except OSError:
        return Path(tempfile.mkdtemp(prefix="grader-hypothesis-"))


def _load_profile(max_examples: int, shrink: bool = True) -> None:
    settings.register_profile(
        PROFILE,
        database=None,
        deadline=None,
        max_examples=max_examples,
        report_multiple_bugs=False,
        print_blob=False,
        derandomize=False,
        suppress_health_check=list(HealthCheck),
        # The explain phase formats hundreds of tracebacks; the transcript says enough.
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target] + ([Phase.shrink] if shrink else []),
    )
    settings.load_profile(PROFILE)


def _no_constants() -> object:
    from hypothesis.internal.conjecture.providers import Constants
    return Constants()


@contextlib.contextmanager
def _without_local_constants():
    """Hypothesis mixes into what it generates constants read from the source
    of every loaded module it takes for the user's own (outside site-packages):
    here the grader's own modules, but only when it is installed editable, and
    which ones depends on what the command imported; they are cached in the
    Hypothesis folder. So the same --seed gave different examples by install
    and by command, and scanning ~500 modules cost ~30 ms a run. Hidden tests
    put the values that matter in their strategies and @examples; Hypothesis's
    own built-in constants stay."""
    from hypothesis.internal.conjecture import providers
    saved = providers._get_local_constants
    empty = _no_constants()
    providers._get_local_constants = lambda: empty
    providers.CONSTANTS_CACHE.cache.clear()     # pools cached from an earlier run with them
    try:
        yield
    finally:
        providers._get_local_constants = saved
        providers.CONSTANTS_CACHE.cache.clear()


@contextlib.contextmanager
def _quiet_isolated_pytest():
    saved_env = os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
    saved_bytecode = sys.dont_write_bytecode
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    sys.dont_write_bytecode = True
    sink = io.StringIO()
    try:
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            yield sink
    finally:
        sys.dont_write_bytecode = saved_bytecode
        if saved_env is None:
            os.environ.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)
        else:
            os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = saved_env


class ProgressPlugin:
    """Tells ``say`` which hidden test is running ("test 3 of 8: name"), so
    a long run (a test waiting for a call that does not return) is not a
    silent spinner. The names are the tests' own, which reports show anyway."""

    def __init__(self, say: Callable[[str], None]):
        self.say = say
        self.total = 0
        self.started = 0

    def pytest_collection_finish(self, session) -> None:
        self.total = len(session.items)

    def pytest_runtest_logstart(self, nodeid, location) -> None:
        self.started += 1
        name = nodeid.rsplit("::", 1)[-1]
        self.say(f"hidden test {self.started} of {self.total}: {name.removeprefix('test_')}")


@contextlib.contextmanager
def _scratch_folder() -> Iterator[Path]:
    root = scratch.create()
    try:
        yield root
    finally:
        scratch.remove(root)


def run_hidden_tests(tests_dir: Path, candidate: Candidate, *, seed: int, max_examples: int,
                     select: str | None = None, shrink: bool = True,
                     progress: Callable[[str], None] | None = None) -> list[TestResult]:
    """Run every ``test_*.py`` in ``tests_dir`` against the candidate;
    ``shrink=False`` reports the first failing example as found (for
    ``grader validate``, which needs only whether a test fails); ``progress``
    hears which test is running."""
    set_hypothesis_home_dir(str(_hypothesis_home()))
    previous_profile = settings._current_profile  # restored so callers' own settings survive
    _load_profile(max_examples, shrink)
    plugin = HarnessPlugin(candidate)
    # A folder named after this process (grader/sandbox/scratch.py): should the
    # process be killed mid-run (a batch worker that does not stop in time),
    # the next clean-up knows it is stale and removes it.
    with _scratch_folder() as folder:
        ini = Path(folder) / "pytest.ini"
        ini.write_text("[pytest]\n")
        args = [
            str(tests_dir), "-c", str(ini), "--rootdir", str(folder),
            "--confcutdir", str(tests_dir),     # no conftest.py from the folders above the hidden tests
            *[arg for plugin in UNUSED_PYTEST_PLUGINS for arg in ("-p", f"no:{plugin}")],
            "-p", "hypothesis.extra.pytestplugin", f"--hypothesis-seed={seed}",
            "--import-mode=importlib", "--capture=sys", "-W", "ignore",
            # Hidden tests state expectations through Program, never a bare assert:
            # rewriting their modules' asserts cost ~10 ms a run for nothing.
            "--assert=plain",
        ]
        if select:
            args += ["-k", select]
        before = set(sys.modules)
        with _quiet_isolated_pytest() as sink, _without_local_constants():
            code = pytest.main(args, plugins=[plugin, plugin.fixtures]
                               + ([ProgressPlugin(progress)] if progress is not None else []))
        # Hypothesis fixes a test's settings when its module is imported: forget
        # the hidden test modules so the next run imports them under its own profile.
        for name in set(sys.modules) - before:
            if getattr(sys.modules[name], "__file__", "") and str(tests_dir) in (sys.modules[name].__file__ or ""):
                del sys.modules[name]
    if previous_profile:
        settings.load_profile(previous_profile)
    # A hidden-test file that does not import ends pytest as "interrupted" too: it is
    # the challenge's problem (exit 3, with the file and the error), not a Ctrl-C.
    if plugin.collection_errors or code in (pytest.ExitCode.INTERNAL_ERROR, pytest.ExitCode.USAGE_ERROR):
        raise InternalError(
            f"The hidden tests in {tests_dir} could not run (pytest exit {int(code)}): "
            + "; ".join(plugin.collection_errors) + "\n" + sink.getvalue()[-2000:])
    if code == pytest.ExitCode.INTERRUPTED:
        raise KeyboardInterrupt
    if not plugin.results:
        raise InternalError(f"No hidden tests were found in {tests_dir}.")
    return plugin.results

