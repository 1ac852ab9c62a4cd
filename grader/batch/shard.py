"""``--shard I/N``: a deterministic slice of a batch, so a CI matrix of N
runners grades the whole batch with no submission graded twice.

Every runner discovers the same submissions from the same checkout. The
distinct contents (content hash, challenge) are sorted and dealt out in
turn, so the slices differ by at most one submission and the same code at
two paths always lands in the same slice (it is graded once).
"""

from __future__ import annotations

import dataclasses
import re

from grader.errors import UsageError

_SPEC = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclasses.dataclass(frozen=True)
class Shard:
    index: int      # 1-based, as a CI matrix writes it
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse_shard(text: str) -> Shard:
    found = _SPEC.match(text or "")
    if not found or not 1 <= int(found.group(1)) <= int(found.group(2)):
        raise UsageError(f"--shard {text!r} is not of the form I/N with 1 <= I <= N (for example --shard 2/4: "
                         "the second of four slices).")
    return Shard(int(found.group(1)), int(found.group(2)))


def select(found: list, shard: Shard | None) -> list:
    """The submissions of ``found`` that belong to ``shard``, in their order."""
    if shard is None or shard.count == 1:
        return list(found)
    keys = sorted({(item.challenge.slug, item.sha256) for item in found})
    mine = {key for position, key in enumerate(keys) if position % shard.count == shard.index - 1}
    return [item for item in found if (item.challenge.slug, item.sha256) in mine]
