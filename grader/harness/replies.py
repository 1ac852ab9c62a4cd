"""The sandbox's replies, checked against a strict schema before use.

The agent shares its process with the submission, so a reply is whatever
the submission chose to write: any JSON object at all (the channel has
already bounded its size and checked it answers this request). Each reader
here takes one kind of reply and returns host objects with every field's
type checked and every text cut to a host-side cap, or raises
``InvalidReply``: the submission's failure, reported as "the sandbox sent
an invalid reply", never an error of the grader.
"""

from __future__ import annotations

import dataclasses
import re

from grader.constants import MAX_MESSAGE_CHARS
from grader.fileio import cut_printable, printable
from grader.harness.nodes import InvalidTable, TooLargeToCheck, decode_checked
from grader.harness.program import Outcome, Raised

MAX_NAME_CHARS = 200            # a type name, a file name, an entry point
MAX_MRO_ENTRIES = 64
MAX_REASON_CHARS = 500          # why a value could not be read, as the agent says
DIGEST = re.compile(r"[0-9a-f]{64}")
PREVIEW_CHARS = 120


class InvalidReply(Exception):
    """A reply no honest agent sends: wrong keys, types or sizes."""


def _cut(text: str, limit: int) -> str:
    return cut_printable(text, limit)


def _text(value, what: str, limit: int, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise InvalidReply(f"{what} is not a string")
    return _cut(value, limit)


def _flag(reply: dict, key: str) -> bool:
    value = reply.get(key)
    if type(value) is not bool:
        raise InvalidReply(f"'{key}' is not true or false")
    return value


def _object(value, what: str) -> dict:
    if not isinstance(value, dict):
        raise InvalidReply(f"{what} is not an object")
    return value


def raised(facts) -> Raised:
    """An exception's facts: type, MRO, message, and where (file, line)."""
    facts = _object(facts, "the exception")
    mro = facts.get("mro")
    if not isinstance(mro, list) or not all(isinstance(name, str) for name in mro):
        raise InvalidReply("the exception's 'mro' is not a list of names")
    where = facts.get("where")
    if where is not None:
        where = _object(where, "the exception's 'where'")
        line = where.get("line")
        if line is not None and (type(line) is not int or line < 0):
            raise InvalidReply("the exception's line is not a number")
        where = {"file": _text(where.get("file"), "the exception's file", MAX_NAME_CHARS, optional=True),
                 "line": line}
    return Raised({
        "type": _text(facts.get("type"), "the exception's type", MAX_NAME_CHARS),
        "mro": [printable(name[:MAX_NAME_CHARS]) for name in mro[:MAX_MRO_ENTRIES]],
        "message": _text(facts.get("message", ""), "the exception's message", MAX_MESSAGE_CHARS),
        "where": where,
    })


# -- import --------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class ImportReply:
    raised: Raised | None           # set when importing solution.py raised
    missing: tuple[str, ...] = ()
    not_callable: tuple[str, ...] = ()


def import_reply(reply: dict, entry_points: list[str]) -> ImportReply:
    if not _flag(reply, "ok"):
        return ImportReply(raised(reply.get("raised")))
    lists = []
    for key in ("missing", "not_callable"):
        names = reply.get(key, [])
        if not isinstance(names, list) or not all(name in entry_points for name in names if isinstance(name, str)) \
                or not all(isinstance(name, str) for name in names):
            raise InvalidReply(f"'{key}' is not a list of the challenge's entry points")
        lists.append(tuple(dict.fromkeys(names)))
    return ImportReply(None, *lists)


# -- run: one outcome per step ---------------------------------------------------

def _value(result: dict, key: str) -> tuple[object, str | None]:
    """(value, None) or (None, why it cannot be read) for result[key]."""
    if key in result:
        try:
            return decode_checked(result[key]), None
        except TooLargeToCheck as exc:
            return None, f"is too large to check ({exc})"
        except InvalidTable as exc:
            raise InvalidReply(f"a value table that no value makes ({exc})") from None
    error = result.get(key + "_error")
    if error is not None:
        return None, _text(error, f"'{key}_error'", MAX_REASON_CHARS)
    return None, None


def step_outcome(result) -> Outcome:
    result = _object(result, "a step's result")
    outcome = Outcome()
    if not _flag(result, "ok"):
        outcome.raised = raised(result.get("raised"))
    elif "bound" not in result:
        outcome.value, unreadable = _value(result, "value")
        if unreadable is not None:
            outcome.unreadable = unreadable
        elif "value" not in result:
            raise InvalidReply("a step's result has no value")
    if "args_after" in result or "args_after_error" in result:
        args, unreadable = _value(result, "args_after")
        if unreadable is not None:
            outcome.args_unreadable = unreadable
        elif not isinstance(args, list):
            raise InvalidReply("'args_after' is not the list of arguments")
        else:
            outcome.args_after = args
    return outcome


def run_outcomes(reply: dict, steps: int) -> list[Outcome]:
    """The outcomes of a program of ``steps`` calls, in order."""
    if not _flag(reply, "ok"):
        reason = reply.get("protocol_error")
        raise InvalidReply(_cut(reason, MAX_REASON_CHARS) if isinstance(reason, str) else "the run failed")
    results = reply.get("results")
    if not isinstance(results, list) or len(results) != steps:
        raise InvalidReply(f"expected {steps} results")
    return [step_outcome(result) for result in results]


# -- benchmarks ------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Answer:
    """What one benchmark batch returned, as its digest."""
    digest: str
    count: int | None
    preview: str


def bench_failure(reply: dict) -> Raised | None:
    """The exception a bench_setup / bench_run reply reports, or None if it
    succeeded."""
    if _flag(reply, "ok"):
        return None
    if "raised" not in reply:
        raise InvalidReply("a failed benchmark step names no exception")
    return raised(reply["raised"])


def bench_answer(reply: dict) -> Answer:
    """The digest part of a successful bench_run reply."""
    digest, count, preview = reply.get("digest"), reply.get("count"), reply.get("preview")
    if not isinstance(digest, str) or not DIGEST.fullmatch(digest):
        raise InvalidReply("no answer digest")
    if count is not None and (type(count) is not int or count < 0):
        raise InvalidReply("the answer count is not a number")
    if not isinstance(preview, str):
        raise InvalidReply("no answer preview")
    return Answer(digest, count, preview[:PREVIEW_CHARS])
