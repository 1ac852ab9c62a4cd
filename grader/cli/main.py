"""Root command group and the one place errors become messages and exit codes."""

from __future__ import annotations

import importlib
import os
import sys
import traceback
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from grader import __version__
from grader.cli.context import AppState
from grader.cli.interrupts import exit_interrupted, install_signal_handlers, redeliver_lost_interrupts
from grader.constants import EXIT_INTERNAL, EXIT_USAGE
from grader.errors import GraderError


# Each command's module is imported only when that command runs (or its own --help is asked for), so that
# `grader --help`, `list`, `show` and `start` never pay for pytest, Hypothesis or the Docker SDK.
# name -> (module, attribute, the first sentence of its help: what `grader --help` lists)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "list": ("grader.cli.catalog_commands", "list_command", "List the available challenges."),
    "show": ("grader.cli.catalog_commands", "show", "Show a challenge's prompt."),
    "start": ("grader.cli.catalog_commands", "start",
              "Create a workspace for SLUG in DIRECTORY (default: ./SLUG) with the stub, the prompt and a marker "
              "naming the challenge."),
    "test": ("grader.cli.grading_commands", "test",
             "Quick feedback on the submission in PATH (default: this folder): fewer examples, and no complexity "
             "measurement unless asked."),
    "submit": ("grader.cli.grading_commands", "submit",
               "Grade the submission in PATH (default: this folder; at a kit's root, each challenge in turn): every "
               "hidden test, then (when they all pass) the complexity checks against the reference."),
    "history": ("grader.cli.history_commands", "history_command",
                "Show the attempts recorded by grader test and submit, with when each challenge first passed and how "
                "the score and the passing tests progressed: for the workspaces at or below this folder, or with "
                "SLUG, for every workspace of that challenge."),
    "hint": ("grader.cli.history_commands", "hint",
             "Show the sentence of the contract that the first failing test of your last recorded attempt in PATH "
             "(default: this folder) breaks, and the next level of the challenge author's hint for it."),
    "validate": ("grader.cli.validate_command", "validate",
                 "Check that each reference passes, each mutant is caught and each stub fails cleanly (all "
                 "challenges when no SLUG is given), under every seed tried."),
    "grade": ("grader.cli.grade_command", "grade",
              "Grade every submission in PATHS: submission folders, repositories of <slug>/solution.py folders, or "
              "folders of candidates' folders; a .zip (a PATH, or in such a folder) is the folder it holds, "
              "unpacked safely."),
    "merge": ("grader.cli.merge_command", "merge",
              "Combine the results of `grader grade --shard I/N` runs: their --db files (which also tell whether "
              "every shard is there) or their results.jsonl files."),
    "similarity": ("grader.cli.similarity_command", "similarity",
                   "Compare, per challenge, every submission in PATHS with every other and with the known solutions "
                   "(the built-in reference and each --known folder), after taking away the challenge's stub; rank "
                   "the pairs by the share of code they have in common."),
    "kit": ("grader.cli.kit_command", "kit",
            "Write a candidate's kit for the ASSESSMENT file (grader.toml): the file itself (with "
            "$GRADER_SIGNING_KEY set, signed on its last line), a README with instructions, and per challenge its "
            "prompt, stub and marker."),
    "verify": ("grader.cli.verify_command", "verify",
               "Check each REPORT (a .json report or a .jsonl of reports): its signature with $GRADER_SIGNING_KEY, "
               "that its challenge is the installed one, that it was graded by this grader version, and with "
               "--regrade, that grading the submission again gives the same result."),
    "doctor": ("grader.cli.doctor", "doctor",
               "Report the sandboxes available here: Docker engine and image, bubblewrap, and the protections each "
               "backend applies."),
    "cleanup": ("grader.cli.cleanup_command", "cleanup",
                "Remove the Docker containers (label grader.managed=1) and the process sandboxes' temporary folders "
                "(grader-sandbox-* in the temporary folder) whose grader has ended, for instance ones left by a "
                "grader that was killed."),
}


def _more_challenge_dirs(ctx: click.Context, param, value: tuple[Path, ...]) -> None:
    """--challenges-dir after the command name means the same as before it."""
    if value:
        ctx.find_object(AppState).challenge_dirs.extend(value)


def _accept_challenges_dir(command: click.Command) -> click.Command:
    if not any(param.name == "extra_challenge_dirs" for param in command.params):
        command.params.append(click.Option(
            ["--challenges-dir", "extra_challenge_dirs"], multiple=True, type=click.Path(path_type=Path),
            expose_value=False, callback=_more_challenge_dirs,
            help="An extra folder of challenges (repeatable; also accepted before the command)."))
    return command


class LazyGroup(click.Group):
    """A group whose commands are imported on first use; its --help lists them from COMMANDS alone."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMANDS) | set(self.commands))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in COMMANDS:
            module_name, attribute, _ = COMMANDS[name]
            self.add_command(getattr(importlib.import_module(module_name), attribute), name)
        command = self.commands.get(name)
        return _accept_challenges_dir(command) if command is not None else None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(map(len, names))
        rows = []
        for name in names:
            if name in self.commands:
                rows.append((name, self.commands[name].get_short_help_str(limit)))
            else:   # the same cut as the command's own: a stand-in holding the first sentence
                rows.append((name, click.Command(name, help=COMMANDS[name][2]).get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="grader")
@click.option("--challenges-dir", "challenge_dirs", multiple=True, type=click.Path(path_type=Path),
              help="An extra folder of challenges (repeatable). Also: $GRADER_CHALLENGES.")
@click.pass_context
def cli(ctx: click.Context, challenge_dirs: tuple[Path, ...]) -> None:
    """Grade coding-challenge submissions with hidden property-based tests,
    in a sandbox, with the verdict decided outside it."""
    ctx.obj = AppState(challenge_dirs=list(challenge_dirs))


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
