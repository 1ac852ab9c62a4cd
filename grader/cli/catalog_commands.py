"""``grader list``, ``grader show`` and ``grader start``: browsing challenges."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from grader.cli.context import AppState, pass_state
from grader.constants import SOLUTION_FILE
from grader.errors import UsageError


@click.command("list")
@pass_state
def list_command(state: AppState) -> None:
    """List the available challenges."""
    table = Table("wave", "slug", "title", "difficulty", "summary", header_style="bold")
    previous = None
    for challenge in sorted(state.catalog.all(), key=lambda c: (c.wave, c.slug)):
        if previous is not None and challenge.wave != previous:
            table.add_section()     # the first eleven challenges, then the second wave
        previous = challenge.wave
        table.add_row(*map(Text, (str(challenge.wave), challenge.slug, challenge.title, challenge.difficulty,
                                  challenge.summary)))
    state.out.print(table)
    for problem in state.catalog.problems.values():
        state.err.print(f"[yellow]warning:[/] {escape(str(problem))}", soft_wrap=True)


@click.command()
@click.argument("slug")
@pass_state
def show(state: AppState, slug: str) -> None:
    """Show a challenge's prompt."""
    challenge = state.catalog.get(slug)
    state.out.print(_prompt(challenge.prompt_path.read_text(encoding="utf-8")))


def _prompt(text: str):
    """The prompt as rich renders Markdown, its code blocks in plain text:
    Pygments compiles its Python lexer's patterns on first use, a third of
    the command's time, for a few lines of signatures."""
    from rich.markdown import CodeBlock, Markdown  # slow to import; only this command needs it

    class PlainCodeBlock(CodeBlock):
        @classmethod
        def create(cls, markdown, token):
            return cls("text", markdown.code_theme)

    class Prompt(Markdown):
        elements = {**Markdown.elements, "fence": PlainCodeBlock, "code_block": PlainCodeBlock}

    return Prompt(text)


def private_folder(challenge) -> Path | None:
    """The challenges folder of a challenge that is not built in (absolute),
    for the workspace's marker; None for a built-in one or a path that
    cannot be written as UTF-8."""
    from grader.catalog import builtin_root
    folder = challenge.folder.parent.resolve()
    if folder == (builtin_root() / "challenges").resolve():
        return None
    try:
        str(folder).encode("utf-8")
    except UnicodeEncodeError:
        return None
    return folder


@click.command()
@click.argument("slug")
@click.argument("directory", required=False, type=click.Path(path_type=Path))
@pass_state
def start(state: AppState, slug: str, directory: Path | None) -> None:
    """Create a workspace for SLUG in DIRECTORY (default: ./SLUG) with the
    stub, the prompt and a marker naming the challenge."""
    from grader.kit import write_workspace

    challenge = state.catalog.get(slug)
    directory = directory or Path(slug)
    if (directory / SOLUTION_FILE).exists():
        raise UsageError(f"{directory / SOLUTION_FILE} already exists; it was left untouched. "
                         "Choose another folder, or delete the file to start over.")
    write_workspace(challenge, directory, private_folder(challenge))
    state.out.print(f"Created {escape(str(directory))}/ with {SOLUTION_FILE} and README.md for "
                    f"[bold]{escape(challenge.title)}[/].\n"
                    f"Next: edit {escape(str(directory / SOLUTION_FILE))}, then run "
                    f"`grader test {escape(str(directory))}`.")
