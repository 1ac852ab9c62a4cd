"""Challenge folders -> ``Challenge`` records.

A challenge folder holds ``challenge.toml``, ``README.md`` (the prompt),
``stub/solution.py`` and ``tests/`` (the hidden tests). Its reference
solution and mutants live in a sibling ``reference/<slug>/`` folder of the
folder that holds the challenges, as in this repository's layout.

Built-in challenges ship with the package; more folders come from
``--challenges-dir`` or the ``GRADER_CHALLENGES`` environment variable
(``os.pathsep``-separated), so private challenges need no fork.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import os
import re
from pathlib import Path

from grader import toml
from grader.constants import (DEFAULT_CALL_TIMEOUT, DEFAULT_CPU_SECONDS, DEFAULT_MEMORY_MB,
                              DEFAULT_TOTAL_TIMEOUT, MAX_HINT_CHARS, MAX_HINT_LEVELS)
from grader.errors import ChallengeDefinitionError, UnknownChallenge

PACKAGE_DIR = Path(__file__).resolve().parent
ENV_VAR = "GRADER_CHALLENGES"


def builtin_root() -> Path:
    """Where the built-in ``challenges/`` and ``reference/`` folders are:
    inside an installed package, or at the top of a source checkout."""
    installed = PACKAGE_DIR / "_builtin"
    if (installed / "challenges").is_dir():
        return installed
    return PACKAGE_DIR.parent


@dataclasses.dataclass(frozen=True)
class Limits:
    call_timeout: float
    total_timeout: float
    memory_mb: int
    cpu_seconds: int


@dataclasses.dataclass(frozen=True)
class Challenge:
    slug: str
    title: str
    difficulty: str
    summary: str
    wave: int           # 1: the first eleven challenges, 2: the second wave (grader list groups them)
    version: int
    entry_points: tuple[str, ...]
    forbidden: tuple[str, ...]
    limits: Limits
    correctness_points: float
    complexity_points: float
    test_weights: dict
    folder: Path
    reference_folder: Path | None
    hints: dict = dataclasses.field(default_factory=dict)   # test name -> its hint levels, from [hints]

    @property
    def prompt_path(self) -> Path:
        return self.folder / "README.md"

    @property
    def stub_folder(self) -> Path:
        return self.folder / "stub"

    @property
    def sandbox_fixtures(self) -> str | None:
        """The source of the challenge's ``sandbox_fixtures.py`` (its helpers
        that run inside the sandbox, next to the submission), if it has one."""
        path = self.folder / SANDBOX_FIXTURES
        return path.read_text(encoding="utf-8") if path.is_file() else None

    @property
    def tests_folder(self) -> Path:
        return self.folder / "tests"

    @property
    def max_score(self) -> float:
        return self.correctness_points + self.complexity_points

    def reference_solution(self) -> Path | None:
        if self.reference_folder and (self.reference_folder / "solution.py").is_file():
            return self.reference_folder
        return None

    def mutants(self) -> list[Path]:
        if not self.reference_folder:
            return []
        return sorted((self.reference_folder / "mutants").glob("*.py"))

    def bonus_mutants(self) -> list[Path]:
        """Mutants with a mistake only a bonus test can catch (``mutants/bonus/``)."""
        if not self.reference_folder:
            return []
        return sorted((self.reference_folder / "mutants" / "bonus").glob("*.py"))

    def content_sha256(self) -> str:
        """Hash of everything that decides a verdict: metadata and hidden tests.
        Not the [hints] table (the last of challenge.toml): hints guide a
        candidate, they never change a grade, so adding one leaves the hash
        of reports already signed valid."""
        digest = hashlib.sha256()
        for path in sorted(self.folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                content = path.read_bytes()
                if path == self.folder / "challenge.toml":
                    content = without_hints(content)
                digest.update(path.relative_to(self.folder).as_posix().encode() + b"\0")
                digest.update(content + b"\0")
        return digest.hexdigest()


REQUIRED_PARTS = ("README.md", "stub/solution.py", "tests")
SANDBOX_FIXTURES = "sandbox_fixtures.py"
# What challenge.toml may hold, by table ("" is the top level). [score.tests]
# is free: its keys are the hidden tests' names.
KEYS = {
    "": ("title", "version", "difficulty", "summary", "wave", "entry_points", "limits", "rules", "score", "hints"),
    "limits": ("call_timeout", "total_timeout", "memory_mb", "cpu_seconds"),
    "rules": ("forbidden",),
    "score": ("correctness", "complexity", "tests"),
}
TABLES = ("limits", "rules", "score", "score.tests", "hints")
# [hints] (free too: hidden tests' names) must be the file's last table: challenge_sha256 leaves it out.
HINTS_HEADER = re.compile(r"^[ \t]*\[[ \t]*hints[ \t]*\][ \t]*(#.*)?$", re.M)
GUIDE = "docs/writing-challenges.md lists every key"


def _dotted(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _table(meta: dict, where: str, meta_path: Path) -> dict:
    """The table at dotted ``where`` ({} when absent); a value there that is
    not a table is the author's mistake, not a crash."""
    table = meta
    for part in where.split(".") if where else ():
        table = table.get(part, {})
        if not isinstance(table, dict):
            raise ChallengeDefinitionError(
                f"{meta_path} has {where} = {table!r}, which is not a table. Write [{where}] on a line of its own "
                f"with its keys below it ({GUIDE}).")
    return table


def _allowed(where: str, allowed: tuple) -> list[str]:
    return [f"[{_dotted(where, key)}]" if _dotted(where, key) in TABLES else key for key in allowed]


def _described(where: str, key: str, value, allowed: tuple) -> str:
    """"table [limts] (did you mean [limits]?)", "key 'memory_mb' (it belongs
    in [limits])" or "key 'colour'"."""
    home = [table for table, keys in KEYS.items() if key in keys and table not in (where, "")]
    guess = difflib.get_close_matches(key, allowed, n=1)
    hint = (f" (it belongs in [{home[0]}])" if home else
            f" (did you mean {_allowed(where, allowed)[allowed.index(guess[0])]}?)" if guess else "")
    if isinstance(value, dict):
        return f"table [{_dotted(where, key)}]{hint}"
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        return f"table [[{_dotted(where, key)}]]{hint}"
    return f"key {key!r}{hint}"


def check_keys(meta: dict, folder: Path) -> None:
    """Refuse what the grader would silently ignore: an unknown key or a
    misspelt table (``[limts]`` leaves the default limits in place), and
    complexity points that no ``benchmark.py`` can earn."""
    meta_path = folder / "challenge.toml"
    for where, allowed in KEYS.items():
        table = _table(meta, where, meta_path)
        unknown = [_described(where, key, table[key], allowed) for key in table if key not in allowed]
        if unknown:
            raise ChallengeDefinitionError(
                f"{meta_path} has {'an unknown ' if len(unknown) == 1 else 'unknown entries: '}{', '.join(unknown)} "
                f"{f'in [{where}]' if where else 'at the top level'}, which the grader would ignore. "
                f"Allowed there: {', '.join(_allowed(where, allowed))}. Fix the spelling or remove it ({GUIDE}).")
    _table(meta, "score.tests", meta_path)
    _check_hints(meta, meta_path)
    complexity = meta.get("score", {}).get("complexity", 0)
    if isinstance(complexity, (int, float)) and complexity > 0 and not (folder / "benchmark.py").is_file():
        raise ChallengeDefinitionError(
            f"{meta_path} gives complexity = {complexity} in [score], but {folder} has no benchmark.py, so no "
            "complexity check can earn those points. Add benchmark.py (docs/writing-challenges.md, \"Complexity "
            "checks\") or remove complexity from [score].")


def without_hints(data: bytes) -> bytes:
    """challenge.toml's bytes before its [hints] table (what decides a
    verdict): the file as it was before the table was added at its end."""
    match = HINTS_HEADER.search(data.decode("utf-8", "replace"))
    if match is None:
        return data
    return data.decode("utf-8", "replace")[:match.start()].rstrip().encode("utf-8") + b"\n"


def _check_hints(meta: dict, meta_path: Path) -> None:
    """[hints]: per hidden test, one to MAX_HINT_LEVELS non-empty texts, in a
    table at the end of the file (challenge_sha256 leaves it out, so nothing
    that decides a verdict may follow it). Names are checked by ``grader
    validate``, which knows the hidden tests."""
    hints = _table(meta, "hints", meta_path)
    fix = (f"Write one text per level, e.g. name = [\"level 1\", \"level 2\"] (1 to {MAX_HINT_LEVELS} levels, "
           f"each at most {MAX_HINT_CHARS} characters; {GUIDE}).")
    for key, levels in hints.items():
        levels = [levels] if isinstance(levels, str) else levels
        if (not isinstance(levels, list) or not 1 <= len(levels) <= MAX_HINT_LEVELS
                or not all(isinstance(level, str) and level.strip() and len(level) <= MAX_HINT_CHARS
                           for level in levels)):
            raise ChallengeDefinitionError(f"{meta_path} has hints.{key} = {str(hints[key])[:80]!r} in [hints], "
                                           f"which is not a list of hint texts. {fix}")
    if "hints" not in meta:
        return
    text = meta_path.read_text(encoding="utf-8")
    match = HINTS_HEADER.search(text)
    try:
        before = toml.loads(text[:match.start()]) if match is not None else None
    except toml.TOMLDecodeError:
        before = None
    if before != {key: value for key, value in meta.items() if key != "hints"}:
        raise ChallengeDefinitionError(
            f"{meta_path} has hints that are not a [hints] table at the end of the file. Write [hints] on a line "
            "of its own after every other table, with the hints below it: challenge_sha256 leaves that table "
            f"out (hints never change a grade), so nothing after it may decide one ({GUIDE}).")


def _load(folder: Path) -> Challenge:
    meta_path = folder / "challenge.toml"
    missing = [part for part in REQUIRED_PARTS if not (folder / part).exists()]
    if missing:
        raise ChallengeDefinitionError(
            f"The challenge folder {folder} lacks {', '.join(missing)}. A challenge needs challenge.toml, "
            "README.md, stub/solution.py and tests/ (see docs/writing-challenges.md).")
    try:
        meta = toml.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, toml.TOMLDecodeError) as exc:
        raise ChallengeDefinitionError(f"{meta_path} cannot be read: {exc}. Fix the file or remove the folder.") from exc
    check_keys(meta, folder)
    try:
        limits = meta.get("limits", {})
        score = meta.get("score", {})
        rules = meta.get("rules", {})
        entry_points = tuple(meta["entry_points"])
        return Challenge(
            slug=folder.name,
            title=str(meta["title"]),
            difficulty=str(meta.get("difficulty", "medium")),
            wave=int(meta.get("wave", 1)),
            summary=str(meta.get("summary", "")),
            version=int(meta.get("version", 1)),
            entry_points=entry_points,
            forbidden=tuple(rules.get("forbidden", ())),
            limits=Limits(
                call_timeout=float(limits.get("call_timeout", DEFAULT_CALL_TIMEOUT)),
                total_timeout=float(limits.get("total_timeout", DEFAULT_TOTAL_TIMEOUT)),
                memory_mb=int(limits.get("memory_mb", DEFAULT_MEMORY_MB)),
                cpu_seconds=int(limits.get("cpu_seconds", DEFAULT_CPU_SECONDS)),
            ),
            correctness_points=float(score.get("correctness", 100.0)),
            complexity_points=float(score.get("complexity", 0.0)),
            test_weights=dict(score.get("tests", {})),
            folder=folder,
            reference_folder=_reference_folder(folder),
            hints={name: tuple([levels] if isinstance(levels, str) else levels)
                   for name, levels in meta.get("hints", {}).items()},
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ChallengeDefinitionError(
            f"{meta_path} is missing or has a wrong value for {exc}. "
            "See an existing challenge.toml for the expected fields.") from exc


def _reference_folder(folder: Path) -> Path | None:
    candidate = folder.parent.parent / "reference" / folder.name
    return candidate if candidate.is_dir() else None


class Catalog:
    """All challenges found in the built-in folder and any extra folders."""

    def __init__(self, extra_dirs: list[Path] | None = None):
        dirs = [builtin_root() / "challenges"]
        for raw in os.environ.get(ENV_VAR, "").split(os.pathsep):
            if raw.strip():
                dirs.append(Path(raw.strip()))
        dirs.extend(extra_dirs or [])
        self._challenges: dict[str, Challenge] = {}
        self.problems: dict[str, ChallengeDefinitionError] = {}
        for root in dirs:
            self.add_root(root)

    def add_root(self, root: Path) -> None:
        """Add the challenges in ``root``; a later folder's challenge replaces
        an earlier one of the same slug."""
        if not root.is_dir():
            raise ChallengeDefinitionError(
                f"The challenges folder {root} does not exist. Check --challenges-dir or ${ENV_VAR}.")
        for folder in sorted(root.iterdir()):
            if (folder / "challenge.toml").is_file():
                self._load_folder(folder)

    def add_folder(self, folder: Path) -> None:
        """Add the one challenge in ``folder``, never over one already loaded:
        a workspace's recorded folder must not replace a built-in."""
        if folder.name not in self._challenges and folder.name not in self.problems:
            self._load_folder(folder)

    def _load_folder(self, folder: Path) -> None:
        try:
            self._challenges[folder.name] = _load(folder)
            self.problems.pop(folder.name, None)
        except ChallengeDefinitionError as problem:
            # One broken folder must not hide the others; asking for it names the problem.
            self.problems[folder.name] = problem
            self._challenges.pop(folder.name, None)

    def all(self) -> list[Challenge]:
        return sorted(self._challenges.values(), key=lambda c: c.slug)

    def get(self, slug: str) -> Challenge:
        if slug in self.problems:
            raise self.problems[slug]
        try:
            return self._challenges[slug]
        except KeyError:
            known = ", ".join(sorted(self._challenges)) or "none"
            raise UnknownChallenge(
                f"There is no challenge called '{slug}'. Known challenges: {known}. "
                "Run `grader list` to see them.") from None

    def __contains__(self, slug: str) -> bool:
        return slug in self._challenges
