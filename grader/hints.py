"""Which hint ``grader hint`` shows: for the first failing test of the last
recorded attempt, the sentence of the contract its counterexample breaks
and the next level of the author's guidance (``[hints]`` in
challenge.toml), one level per call.

Pure: an attempt, the challenge's hints and the levels already shown in,
a ``Hint`` out; grader/cli/history_commands.py records and prints it.
"""

from __future__ import annotations

import dataclasses
import re

from grader.history import Attempt, Failure

# How a failure cites the sentence it breaks (grader/harness/program.py's ``cited``).
CITED = re.compile(r"\(contract: '(.*)'\)\s*$", re.S)


@dataclasses.dataclass(frozen=True)
class Hint:
    test: str
    status: str
    sentence: str           # the contract's sentence the failure breaks ("" when the attempt did not show it)
    counterexample: str     # the calls that break it, as the attempt showed them
    levels: tuple           # the levels to show: those shown before, then the new one
    new_level: int | None   # the level revealed now (1-based); None when none is left or none was written
    written: int            # how many levels the author wrote for this test


def contract_sentence(failure: Failure) -> str:
    """The sentence a failure cites, else the one its test checks (its description)."""
    match = CITED.search(failure.message)
    return match.group(1) if match else failure.description


def first_failing(attempt: Attempt) -> tuple[str, str] | None:
    """(name, status) of the first failing hidden test; a bonus test only when no other fails."""
    failing = [(name, status) for name, status in attempt.tests if status != "pass"]
    core = [item for item in failing if not item[0].startswith("bonus_")]
    return (core or failing or [None])[0]


def next_hint(attempt: Attempt, hints: dict, shown: dict) -> Hint | None:
    """The hint for ``attempt`` (None when no test fails in it). ``hints``:
    the challenge's levels by test; ``shown``: the highest level already
    shown, by test."""
    failing = first_failing(attempt)
    if failing is None:
        return None
    name, status = failing
    failure = next((item for item in attempt.failures if item.name == name),
                   Failure(name, status, "", "", ""))
    written = tuple(hints.get(name, ()))
    before = min(shown.get(name, 0), len(written))
    new_level = before + 1 if before < len(written) else None
    return Hint(test=name, status=status, sentence=contract_sentence(failure),
                counterexample=failure.counterexample, levels=written[:new_level or before],
                new_level=new_level, written=len(written))
