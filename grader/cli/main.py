"""Root command group and the one place errors become messages and exit codes."""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from grader import __version__
from grader.cli import (catalog_commands, cleanup_command, doctor, grade_command, grading_commands, kit_command,
                        merge_command, validate_command, verify_command)
from grader.cli.context import AppState
from grader.cli.interrupts import exit_interrupted, install_signal_handlers, redeliver_lost_interrupts
from grader.constants import EXIT_INTERNAL, EXIT_USAGE
from grader.errors import GraderError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="grader")
@click.option("--challenges-dir", "challenge_dirs", multiple=True, type=click.Path(path_type=Path),
              help="An extra folder of challenges (repeatable). Also: $GRADER_CHALLENGES.")
@click.pass_context
def cli(ctx: click.Context, challenge_dirs: tuple[Path, ...]) -> None:
    """Grade coding-challenge submissions with hidden property-based tests,
    in a sandbox, with the verdict decided outside it."""
    ctx.obj = AppState(challenge_dirs=list(challenge_dirs))


for command in (catalog_commands.list_command, catalog_commands.show, catalog_commands.start,
                grading_commands.test, grading_commands.submit, validate_command.validate,
                grade_command.grade, merge_command.merge, kit_command.kit, verify_command.verify, doctor.doctor,
                cleanup_command.cleanup):
    cli.add_command(command)


def _more_challenge_dirs(ctx: click.Context, param, value: tuple[Path, ...]) -> None:
    """--challenges-dir after the command name means the same as before it."""
    if value:
        ctx.find_object(AppState).challenge_dirs.extend(value)


for command in cli.commands.values():
    command.params.append(click.Option(
        ["--challenges-dir"], "extra_challenge_dirs", multiple=True, type=click.Path(path_type=Path),
        expose_value=False, callback=_more_challenge_dirs,
        help="An extra folder of challenges (repeatable; also accepted before the command)."))


def main(argv: list[str] | None = None) -> None:
    err = Console(stderr=True, highlight=False)
    install_signal_handlers()   # SIGTERM, SIGHUP, SIGABRT unwind like Ctrl-C (interrupts.py)
    try:
        with redeliver_lost_interrupts():
            code = cli.main(args=argv, prog_name="grader", standalone_mode=False)
    except click.exceptions.Abort:
        exit_interrupted(err)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_USAGE if exc.exit_code in (1, 2) else exc.exit_code)
    except GraderError as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))}", markup=True, soft_wrap=True)   # [limits] is text
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        exit_interrupted(err)
    except Exception as exc:  # noqa: BLE001 - the last resort: never a bare traceback
        if os.environ.get("GRADER_DEBUG"):
            traceback.print_exc()
        err.print(f"[bold red]internal error:[/] {type(exc).__name__}: {escape(str(exc))}. This is a bug in grader; "
                  "run again with GRADER_DEBUG=1 to see the traceback and report it.", markup=True, soft_wrap=True)
        sys.exit(EXIT_INTERNAL)
    sys.exit(code or 0)
