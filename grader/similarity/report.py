"""A batch's similarity report: its submissions read and fingerprinted, grouped
per challenge, compared with each other and with the known solutions.

The built-in reference (``reference: SLUG``) and every ``--known`` solution
(``known: PATH``) are matched against, never paired with each other; the
challenge's stub is the base, whose fingerprints never count. Submissions
are read like any other (grader/submission.py: regular files, size caps,
then strict UTF-8 here); one that cannot be read is listed as not compared,
with the reason. Fingerprints are made without the base and the base taken
away here, so what the batch database stores does not depend on the stub.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from grader.errors import UsageError
from grader.similarity.compare import DEFAULT_MIN_SCORE, DEFAULT_THRESHOLD, SimilarityResult, compare
from grader.similarity.fingerprint import DEFAULT_K, DEFAULT_WINDOW, Fingerprints, fingerprint_files
from grader.submission import SubmissionProblem, decode_source, read_files

SCHEMA = 1
REFERENCE = "reference: "
KNOWN = "known: "


@dataclasses.dataclass(frozen=True)
class Entry:
    """One submission (or known solution) as compared: its files' text and
    fingerprints, or (``problem`` set) why it could not be read."""
    name: str
    challenge: str
    files: dict | None
    fingerprints: Fingerprints | None
    problem: str = ""


@dataclasses.dataclass(frozen=True)
class ChallengeSimilarity:
    challenge: str
    result: SimilarityResult
    sources: dict               # name -> {file: text}, for every name in a pair (the HTML shows them)
    known: tuple                # the known solutions' names
    skipped: tuple              # (name, why), submissions not compared

    def to_json(self) -> dict:
        result = self.result.to_json()
        return {"challenge": self.challenge, "submissions": result["submissions"], "known": list(self.known),
                "not_compared": [{"submission": name, "reason": why} for name, why in self.skipped],
                "pairs": result["pairs"], "clusters": result["clusters"]}


@dataclasses.dataclass(frozen=True)
class SimilarityReport:
    challenges: tuple           # ChallengeSimilarity, by slug
    threshold: float
    k: int
    window: int

    def to_json(self) -> dict:
        return {"schema": SCHEMA, "kind": "similarity", "threshold": self.threshold, "k": self.k,
                "window": self.window, "challenges": [item.to_json() for item in self.challenges]}


def decode(files: dict) -> dict:
    """{path: text} from {path: bytes}; a file that is not UTF-8 is a SubmissionProblem, as grading says."""
    return {name: decode_source(name, content) for name, content in files.items()}


def read_entry(name: str, challenge: str, path: Path, *, k: int = DEFAULT_K, window: int = DEFAULT_WINDOW) -> Entry:
    """The submission at ``path`` read defensively and fingerprinted (without the base)."""
    try:
        files = decode(read_files(path)[1])
    except SubmissionProblem as problem:
        return Entry(name, challenge, None, None, problem.message.rstrip("."))
    return Entry(name, challenge, files, fingerprint_files(files, k=k, window=window))


def base_of(challenge, *, k: int = DEFAULT_K, window: int = DEFAULT_WINDOW) -> Fingerprints | None:
    """The stub's fingerprints: what every candidate was handed."""
    try:
        files = decode(read_files(challenge.stub_folder)[1])
    except SubmissionProblem:
        return None
    return fingerprint_files(files, k=k, window=window)


def reference_entry(challenge, *, k: int = DEFAULT_K, window: int = DEFAULT_WINDOW) -> Entry | None:
    folder = challenge.reference_solution()
    if folder is None:
        return None
    entry = read_entry(REFERENCE + challenge.slug, challenge.slug, folder / "solution.py", k=k, window=window)
    return entry if entry.fingerprints is not None else None


def build(entries: list, known: list, catalog, *, threshold: float = DEFAULT_THRESHOLD,
          min_score: float = DEFAULT_MIN_SCORE, k: int = DEFAULT_K, window: int = DEFAULT_WINDOW,
          reference: bool = True) -> SimilarityReport:
    """The report over ``entries`` (submissions) and ``known`` (Entry of
    known solutions, any challenge), per challenge of the submissions."""
    names = [entry.name for entry in entries]
    if len(set(names)) != len(names):
        duplicate = next(name for name in names if names.count(name) > 1)
        raise UsageError(f"Two submissions are both named {duplicate}: give each PATH once.")
    slugs = sorted({entry.challenge for entry in entries})
    out = []
    for slug in slugs:
        challenge = catalog.get(slug)
        base = base_of(challenge, k=k, window=window)
        mine = [entry for entry in entries if entry.challenge == slug]
        theirs = [entry for entry in known if entry.challenge == slug and entry.fingerprints is not None]
        if reference:
            built_in = reference_entry(challenge, k=k, window=window)
            if built_in is not None:
                theirs.insert(0, built_in)
        clash = {entry.name for entry in mine} & {entry.name for entry in theirs}
        if clash:
            raise UsageError(f"A submission is named {sorted(clash)[0]}, like a known solution: rename its folder.")
        compared = {entry.name: entry.fingerprints.without(base) for entry in mine if entry.fingerprints is not None}
        known_prints = {entry.name: entry.fingerprints.without(base) for entry in theirs}
        result = compare(compared, known_prints, threshold=threshold, min_score=min_score)
        paired = {name for pair in result.pairs for name in (pair.a, pair.b)}
        sources = {entry.name: entry.files for entry in mine + theirs if entry.name in paired and entry.files}
        skipped = tuple(sorted((entry.name, entry.problem) for entry in mine if entry.fingerprints is None))
        out.append(ChallengeSimilarity(slug, result, sources, tuple(sorted(known_prints)), skipped))
    return SimilarityReport(tuple(out), threshold, k, window)
