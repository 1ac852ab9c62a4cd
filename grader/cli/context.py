"""State shared by every command: the catalog and the consoles."""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path

import click
from rich.console import Console

from grader.catalog import Catalog


@dataclasses.dataclass
class AppState:
    challenge_dirs: list[Path]

    @functools.cached_property
    def catalog(self) -> Catalog:
        return Catalog(self.challenge_dirs)

    @functools.cached_property
    def out(self) -> Console:
        return Console(highlight=False)

    @functools.cached_property
    def err(self) -> Console:
        return Console(stderr=True, highlight=False)


pass_state = click.make_pass_decorator(AppState)
