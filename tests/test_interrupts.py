"""Ctrl-C always ends the grader with exit code 130, even when it lands
where CPython mishandles it (see grader/cli/interrupts.py). Each case runs
the real ``grader.cli.main.main`` under ``python -m`` with one extra
command that raises KeyboardInterrupt in that place, deterministically."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_module(tmp_path: Path, body: str) -> subprocess.CompletedProcess:
    module = tmp_path / "grader_with_extra_command.py"
    module.write_text(textwrap.dedent("""
        import time
        import weakref

        import click

        from grader.cli import main as grader_main


        @click.command()
        def extra():
        {body}
            print("finished")


        grader_main.cli.add_command(extra)
        grader_main.main(["extra"])
        """).replace("{body}", textwrap.indent(textwrap.dedent(body), "    ")))
    return subprocess.run([sys.executable, "-m", module.stem], cwd=tmp_path, capture_output=True, text=True,
                          timeout=60, env=dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1"))


def test_an_interrupt_escaping_a_string_exec_still_exits_130(tmp_path):
    # As when Ctrl-C lands while a dataclass builds its methods (exec of source text):
    # CPython marks the interrupt unhandled and `python -m` would die by SIGINT (-2).
    result = run_module(tmp_path, 'exec("raise KeyboardInterrupt", {})')
    assert result.returncode == 130, (result.returncode, result.stderr)
    assert result.stderr.strip() == "Interrupted." and "finished" not in result.stdout


def test_an_interrupt_lost_in_a_weakref_callback_is_raised_again(tmp_path):
    # As when Ctrl-C lands in importlib's module-lock bookkeeping: Python can only
    # report it as "unraisable"; the grader raises it again and stops.
    result = run_module(tmp_path, """
        class Thing:
            pass

        def interrupted(reference):
            raise KeyboardInterrupt

        thing = Thing()
        watcher = weakref.ref(thing, interrupted)
        del thing                       # the callback runs here; its exception is dropped
        for _ in range(500):            # five seconds of "grading" that must not run on
            time.sleep(0.01)
    """)
    assert result.returncode == 130, (result.returncode, result.stderr)
    assert "finished" not in result.stdout
    assert "Exception ignored" not in result.stderr and result.stderr.strip() == "Interrupted."
