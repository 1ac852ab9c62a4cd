"""Take-home assessments: a ``grader.toml`` file that lists the challenges,
their weights and limits, and how much feedback a candidate sees.

    [assessment]
    name = "Backend take-home"
    feedback = "summary"          # full | summary | none   (default full)
    seed = 0                      # optional: the seed unless --seed is given
    hints = false                 # optional: `grader hint` refuses (default true)

    [challenges.lru-cache]
    weight = 2                    # default 1
    time_limit = 60               # optional: seconds for all hidden tests
    call_timeout = 5              # optional: seconds for one batch of calls
    memory_mb = 256               # optional
    [challenges.pair-sum]

Which file applies (``--assessment FILE`` always wins):

- ``grader test`` and ``grader submit``: the nearest ``grader.toml`` in the
  submission's folder or above it, so a candidate inside an unpacked kit
  needs no option;
- ``grader grade`` and ``grader verify --regrade`` (an assessor grading what
  came back): the nearest one strictly above each PATH, never one at PATH
  or below it, which is inside what is graded (``locate(outside=True)``);
  those are named in a warning (``ignored_inside``).

With ``GRADER_SIGNING_KEY`` set, a file the grader finds by itself must end
with a valid signature line by that key (``grader kit`` writes it; see
grader/signing.py), else the command stops with exit 2. The signature line
is not part of the assessment: ``sha256`` covers the bytes before it, so a
signed kit copy and the file it was made from have the same hash.
(``.grader.toml``, with a dot, is the per-workspace marker that names a
folder's challenge.)
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
from pathlib import Path

from grader import toml
from grader.catalog import Catalog, Challenge
from grader.errors import AssessmentError
from grader.signing import ENV_VAR, signing_key, split_file_signature, verify_file

ASSESSMENT_FILE = "grader.toml"
FEEDBACK_LEVELS = ("full", "summary", "none")
ASSESSMENT_KEYS = ("name", "feedback", "seed", "hints")
CHALLENGE_KEYS = ("weight", "time_limit", "call_timeout", "memory_mb")
EXAMPLE = '[assessment] with name = "Backend take-home", then one [challenges.SLUG] table per challenge'


@dataclasses.dataclass(frozen=True)
class ChallengeSettings:
    """One ``[challenges.SLUG]`` table."""
    slug: str
    weight: float = 1.0
    time_limit: float | None = None
    call_timeout: float | None = None
    memory_mb: int | None = None


@dataclasses.dataclass(frozen=True)
class AssessmentStamp:
    """What every report graded under an assessment records about it (small
    and hashable: it travels in GradeOptions to the batch workers)."""
    name: str
    sha256: str
    weights: tuple          # ((slug, weight), ...)

    def for_challenge(self, slug: str) -> dict:
        return {"name": self.name, "sha256": self.sha256, "weight": dict(self.weights).get(slug, 0.0)}


@dataclasses.dataclass(frozen=True)
class Assessment:
    path: Path
    name: str
    feedback: str
    seed: int | None
    challenges: dict                # slug -> ChallengeSettings, in the file's order
    sha256: str                     # of the file's bytes before its signature line, if any
    catalog: Catalog = dataclasses.field(repr=False, compare=False)
    hints: bool = True              # false: `grader hint` refuses (a candidate's copy can say otherwise)

    @staticmethod
    def find(path: Path) -> Path | None:
        """The nearest ``grader.toml`` in the submission's folder or one of
        its parents, up to the filesystem root; None if there is none."""
        path = Path(path).resolve()
        folder = path if path.is_dir() else path.parent
        for candidate in (folder, *folder.parents):
            if (candidate / ASSESSMENT_FILE).is_file():
                return candidate / ASSESSMENT_FILE
        return None

    @staticmethod
    def find_above(path: Path) -> Path | None:
        """The nearest ``grader.toml`` strictly above PATH (for a file, above
        its folder; a .zip counts as the folder it holds): never one in what
        is graded."""
        path = Path(path).resolve()
        folder = path if path.is_dir() or path.suffix.lower() == ".zip" else path.parent
        return Assessment.find(folder.parent) if folder.parent != folder else None

    @classmethod
    def load(cls, path: Path, catalog: Catalog, *, found: bool = False) -> "Assessment":
        """Read and validate ``path``. ``found``: the grader found it by itself
        (no --assessment), so with $GRADER_SIGNING_KEY set it must be signed."""
        path = Path(path)
        data = _read(path)
        key = signing_key() if found else None
        if key is not None:
            check = verify_file(data, key)
            if not check.ok:
                raise AssessmentError(
                    f"The assessment file {path} was edited or not made by `grader kit` with your key: "
                    f"{check.message}. "
                    f"With {ENV_VAR} set, a grader.toml the grader finds by itself counts only when `grader kit` "
                    "signed it with that key, because the folder it sits in may be a candidate's. Grade with "
                    "--assessment YOUR_COPY (the grader.toml you made the kit from).")
        return parse(path, data, catalog)

    @property
    def slugs(self) -> list[str]:
        return list(self.challenges)

    @property
    def total_weight(self) -> float:
        return sum(settings.weight for settings in self.challenges.values())

    def weight(self, slug: str) -> float:
        return self.challenges[slug].weight

    def challenge(self, slug: str) -> Challenge:
        """The catalog's challenge with this assessment's limits in place."""
        if slug not in self.challenges:
            raise AssessmentError(
                f"The challenge '{slug}' is not part of the assessment \"{self.name}\" ({self.path}), which "
                f"lists {', '.join(self.slugs)}. Grade one of those, add [challenges.{slug}] to {self.path}, "
                "or pass --assessment with the assessment this submission belongs to.")
        settings = self.challenges[slug]
        challenge = self.catalog.get(slug)
        limits = challenge.limits
        changes = {}
        if settings.time_limit is not None:
            changes["total_timeout"] = float(settings.time_limit)
            # The CPU rlimit must not end a run the time limit allows.
            changes["cpu_seconds"] = max(limits.cpu_seconds, math.ceil(settings.time_limit))
        if settings.call_timeout is not None:
            changes["call_timeout"] = float(settings.call_timeout)
        if settings.memory_mb is not None:
            changes["memory_mb"] = int(settings.memory_mb)
        return dataclasses.replace(challenge, limits=dataclasses.replace(limits, **changes))

    def apply(self, found: list) -> list:
        """Batch submissions (grader.batch.discover.Found) with this assessment's
        challenges; submissions for a challenge it does not list are an error."""
        unlisted = [f"{item.label} ({item.challenge.slug})" for item in found if item.challenge.slug not in self.challenges]
        if unlisted:
            shown = ", ".join(unlisted[:5]) + (f" and {len(unlisted) - 5} more" if len(unlisted) > 5 else "")
            raise AssessmentError(
                f"These submissions are for challenges that the assessment \"{self.name}\" ({self.path}) does not "
                f"list: {shown}. It lists {', '.join(self.slugs)}. Leave them out, add their challenges to "
                f"{self.path}, or pass --assessment with the assessment they belong to.")
        return [dataclasses.replace(item, challenge=self.challenge(item.challenge.slug)) for item in found]

    def stamp(self) -> AssessmentStamp:
        return AssessmentStamp(self.name, self.sha256,
                               tuple((slug, s.weight) for slug, s in self.challenges.items()))

    def describe(self) -> str:
        return f"\"{self.name}\" ({self.path}, sha256 {self.sha256[:12]})"


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise AssessmentError(f"The assessment file {path} does not exist. Check the path given with "
                              "--assessment (an assessment file is usually called grader.toml).") from None
    except IsADirectoryError:
        raise AssessmentError(f"The assessment file {path} is a folder. Give the grader.toml file inside it: "
                              f"--assessment {path / ASSESSMENT_FILE}.") from None
    except OSError as exc:
        raise AssessmentError(f"The assessment file {path} cannot be read: {exc.strerror or exc}. "
                              "Make it readable, or give another file with --assessment.") from None


def _problem(path: Path, what: str, fix: str) -> AssessmentError:
    return AssessmentError(f"The assessment file {path} {what}. {fix}")


def _number(path: Path, where: str, key: str, value, *, integer: bool = False) -> float | int:
    kind = "a whole number" if integer else "a number"
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and not isinstance(value, int)):
        raise _problem(path, f"has {key} = {value!r} in [{where}], which is not {kind}",
                       f"Write {key} as {kind} greater than 0, without quotes, e.g. {key} = "
                       f"{256 if integer else 5}.")
    if not math.isfinite(value) or value <= 0:
        raise _problem(path, f"has {key} = {value!r} in [{where}], which is not greater than 0",
                       f"Give {key} a positive value, or remove the line to use the challenge's own.")
    return value


def _unknown_keys(path: Path, where: str, table: dict, allowed: tuple) -> None:
    """``where``: the table's name, or "" for the top level."""
    unknown = [key for key in table if key not in allowed]
    if unknown:
        raise _problem(path, f"has unknown key{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))} "
                             f"{f'in [{where}]' if where else 'at the top level'}",
                       f"The keys allowed there are {', '.join(allowed)}. Fix the spelling or remove the line.")


def parse(path: Path, data: bytes, catalog: Catalog) -> Assessment:
    """Validate the file's bytes; every problem is an AssessmentError that
    says what to fix."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _problem(path, f"is not valid UTF-8 (bad byte at line {line})", "Save it as UTF-8.") from None
    try:
        content = toml.loads(text)
    except toml.TOMLDecodeError as exc:
        raise _problem(path, f"is not valid TOML: {exc}",
                       "Fix that line: a string needs double quotes, and each [table] and key may appear only "
                       "once.") from None
    _unknown_keys(path, "", content, ("assessment", "challenges"))

    header = content.get("assessment")
    if not isinstance(header, dict):
        raise _problem(path, "has no [assessment] table" if header is None else "has an assessment that is not a table",
                       f"An assessment file holds {EXAMPLE} (see the README's section for assessors).")
    _unknown_keys(path, "assessment", header, ASSESSMENT_KEYS)
    name = header.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _problem(path, "has no name in [assessment]" if name is None else
                       f"has name = {name!r} in [assessment], which is not a non-empty string",
                       'Name the assessment, e.g. name = "Backend take-home": every report records it.')
    feedback = header.get("feedback", "full")
    if feedback not in FEEDBACK_LEVELS:
        raise _problem(path, f"has feedback = {feedback!r} in [assessment]",
                       'feedback must be "full" (counterexamples), "summary" (pass/fail per property) '
                       'or "none" (verdict and score only).')
    seed = header.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise _problem(path, f"has seed = {seed!r} in [assessment], which is not a whole number",
                       "Write the seed as a whole number without quotes, e.g. seed = 0, or remove the line.")

    hints = header.get("hints", True)
    if not isinstance(hints, bool):
        raise _problem(path, f"has hints = {hints!r} in [assessment], which is not true or false",
                       "Write hints = false (without quotes) to switch `grader hint` off, or remove the line.")

    tables = content.get("challenges")
    if not isinstance(tables, dict) or not tables:
        raise _problem(path, "lists no challenges" if not tables else "has a challenges value that is not a table",
                       "Add one table per challenge, e.g. [challenges.lru-cache] (see `grader list` for the slugs).")
    challenges = {}
    for slug, table in tables.items():
        where = f"challenges.{slug}"
        if not isinstance(table, dict):
            raise _problem(path, f"has challenges.{slug} = {table!r}, which is not a table",
                           f"Write it as a table: [challenges.{slug}] on its own line, then weight = ... etc. "
                           "below it (or nothing, for the defaults).")
        if slug not in catalog:
            known = ", ".join(c.slug for c in catalog.all()) or "none"
            raise _problem(path, f"lists the challenge '{slug}', which does not exist",
                           f"Known challenges: {known} (see `grader list`). Private challenges come from "
                           "--challenges-dir or $GRADER_CHALLENGES.")
        _unknown_keys(path, where, table, CHALLENGE_KEYS)
        values = {key: _number(path, where, key, table[key], integer=key == "memory_mb")
                  for key in CHALLENGE_KEYS if key in table}
        if "weight" in values:
            values["weight"] = float(values["weight"])
        challenges[slug] = ChallengeSettings(slug=slug, **values)
    return Assessment(path=path, name=name.strip(), feedback=feedback, seed=seed, challenges=challenges,
                      sha256=hashlib.sha256(split_file_signature(data)[0]).hexdigest(), catalog=catalog,
                      hints=hints)


def locate(catalog: Catalog, explicit: Path | None, paths: list[Path], *,
           outside: bool = False) -> Assessment | None:
    """The assessment for these submission paths: --assessment when given,
    else the one grader.toml that every path finds (None when none does):
    at or above it, or with ``outside`` strictly above it. Paths that find
    different files (or some none) are a usage error. A found file must be
    signed when $GRADER_SIGNING_KEY is set (Assessment.load)."""
    if explicit is not None:
        return Assessment.load(explicit, catalog)
    finder = Assessment.find_above if outside else Assessment.find
    found = {path: finder(path) for path in paths}
    files = {file for file in found.values()}
    if files == {None}:
        return None
    if len(files) > 1:
        shown = "; ".join(f"{path} -> {file or 'no grader.toml'}" for path, file in found.items())
        raise AssessmentError(f"The paths belong to different assessments ({shown}). Grade each assessment's "
                              "submissions on their own, or pass --assessment FILE to apply one to all.")
    return Assessment.load(files.pop(), catalog, found=True)


def ignored_inside(paths: list[Path], submissions: list[Path]) -> list[Path]:
    """The grader.toml files inside what is graded, which ``locate(outside=True)``
    never uses: at each PATH, and in every folder between it and a
    submission found in it (the files a look-up from the submission would
    have reached), in a stable order."""
    roots = [(path.parent if path.is_file() else path) for path in paths]
    resolved = [root.resolve() for root in roots]
    files: dict[Path, None] = {}
    for root in roots:
        if (root / ASSESSMENT_FILE).is_file():
            files[root / ASSESSMENT_FILE] = None
    for submission in submissions:
        folder = submission.parent if submission.is_file() else submission
        real = folder.resolve()
        for root, top in zip(roots, resolved):
            if real != top and top not in real.parents:
                continue
            current = folder
            for _ in range(len(real.parts) - len(top.parts) + 1):
                if (current / ASSESSMENT_FILE).is_file():
                    files[current / ASSESSMENT_FILE] = None
                current = current.parent
            break
    return list(files)


def ignored_warning(files: list[Path]) -> str:
    """One line naming the grader.toml files inside what is graded."""
    shown = ", ".join(map(str, files[:3])) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
    return (f"warning: not applied: {shown}. A grader.toml at or below a PATH is inside what is graded (the "
            "candidate's copy), so it never sets the limits, seed, feedback or weights; pass --assessment FILE "
            "with your own copy to grade under it.")
