"""``grader verify``: is this report what the grader wrote, for these hidden
tests, and does grading the submission again give the same result?

Checks per report, each ``ok``, ``warn`` (does not fail) or ``fail``:

- signature: HMAC with $GRADER_SIGNING_KEY (unsigned, another key and a
  changed report each fail with their own message);
- challenge: the report's ``challenge_sha256`` is the installed challenge's
  (another hash means other hidden tests decided the verdict: fail);
- grader version: another version is a warning (the same tests may still
  give the same verdict; a re-grade tells);
- assessment: with --assessment, the report must have been graded under
  that very file (its sha256);
- re-grade (on request): grade the submission again with the report's seed,
  the same complexity setting and (when known) the assessment's limits, and
  compare the submission hash, verdict, score and each test's status. The
  assessment is --assessment, else a signed grader.toml strictly above
  --regrade PATH that the report records; never one inside PATH.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from grader import __version__
from grader.assessment import Assessment
from grader.batch.archive import split_label
from grader.catalog import Catalog
from grader.errors import GraderError, UsageError
from grader.signing import verify as verify_signature

REQUIRED = ("schema", "challenge", "verdict", "score", "max_score", "correctness", "complexity", "rules", "limits",
            "sandbox", "seed", "submission_sha256")
SCORE_TOLERANCE = 0.01      # reports round scores to 2 decimals
GIVE_REPORT = ("give the report `grader submit --format json` wrote, or the results.jsonl of "
               "`grader grade --format jsonl`")


@dataclasses.dataclass
class Entry:
    source: str             # file, or file:line for JSON lines
    report: dict | None
    problem: str = ""       # why it is not a report


@dataclasses.dataclass(frozen=True)
class Check:
    name: str
    status: str             # ok | warn | fail
    detail: str


@dataclasses.dataclass
class Outcome:
    entry: Entry
    checks: list = dataclasses.field(default_factory=list)
    differences: list = dataclasses.field(default_factory=list)   # (what, report, re-grade)

    @property
    def ok(self) -> bool:
        return all(check.status != "fail" for check in self.checks)


def load_entries(path: Path) -> list[Entry]:
    """A .json report, or JSON lines (one report per line)."""
    if not path.exists():
        raise UsageError(f"{path} does not exist. Give a report written by `grader submit --format json` or a "
                         "results.jsonl written by `grader grade --format jsonl`.")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return [Entry(str(path), None, f"not a report: not UTF-8 text (byte {exc.object[exc.start]:#04x} at "
                                       f"offset {exc.start}); {GIVE_REPORT}")]
    except OSError as exc:
        raise UsageError(f"{path} cannot be read: {exc}.") from None
    if not text.strip():
        return [Entry(str(path), None, f"empty: no report in it; {GIVE_REPORT}")]
    if path.suffix != ".jsonl":
        try:
            return [_entry(str(path), json.loads(text))]
        except json.JSONDecodeError as exc:
            if not _first_line_is_json(text):      # not JSON lines either: one broken report
                return [Entry(str(path), None, f"not valid JSON ({_where(exc, f'line {exc.lineno}, ')}): the "
                                               f"file was truncated or is not a report; {GIVE_REPORT}")]
    entries = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            entries.append(_entry(f"{path}:{number}", json.loads(line)))
        except json.JSONDecodeError as exc:
            entries.append(Entry(f"{path}:{number}", None, f"not valid JSON ({_where(exc)}): the line was "
                                                           "truncated or is not a report"))
    return entries


def _where(exc: json.JSONDecodeError, line: str = "") -> str:
    """Where and what, worded for json's messages that end by pointing at
    the place ("Unterminated string starting at") and those that do not."""
    place = f"{line}column {exc.colno}"
    return f"{exc.msg} {place}" if exc.msg.endswith(" at") else f"{place}: {exc.msg}"


def _first_line_is_json(text: str) -> bool:
    for line in text.splitlines():
        if line.strip():
            try:
                return isinstance(json.loads(line), dict)
            except json.JSONDecodeError:
                return False
    return False


def _entry(source: str, value) -> Entry:
    if not isinstance(value, dict):
        return Entry(source, None, "not a report (a JSON object is expected)")
    missing = [key for key in REQUIRED if key not in value]
    if missing:
        return Entry(source, value, f"not a grader report: no {', '.join(missing)}")
    return Entry(source, value)


def check_report(entry: Entry, key: bytes, catalog: Catalog, assessment: Assessment | None) -> Outcome:
    """Every check but the re-grade."""
    outcome = Outcome(entry)
    if entry.report is None or entry.problem:
        outcome.checks.append(Check("report", "fail", entry.problem))
        if entry.report is None:
            return outcome
    report = entry.report
    signature = verify_signature(report, key)
    outcome.checks.append(Check("signature", "ok" if signature.ok else "fail", signature.message))
    slug = report.get("challenge", "")
    try:
        installed = catalog.get(slug).content_sha256()
    except GraderError as exc:
        outcome.checks.append(Check("challenge", "fail", str(exc)))
    else:
        if report.get("challenge_sha256") == installed:
            outcome.checks.append(Check("challenge", "ok", f"{slug}: the installed challenge (sha256 {installed[:12]})"))
        else:
            outcome.checks.append(Check(
                "challenge", "fail",
                f"{slug}: the report was graded with challenge content {str(report.get('challenge_sha256'))[:12] or '-'}, "
                f"the installed one is {installed[:12]}: other hidden tests (another version of the challenge, or "
                "edited tests) decided this verdict"))
    version = report.get("grader_version")
    if version == __version__:
        outcome.checks.append(Check("grader version", "ok", version))
    else:
        outcome.checks.append(Check("grader version", "warn",
                                    f"graded by grader {version or '?'}, this is {__version__}: a re-grade "
                                    "(--regrade) tells whether the result still holds"))
    recorded = report.get("assessment")
    if assessment is not None:
        if not isinstance(recorded, dict):
            outcome.checks.append(Check("assessment", "fail", f"the report was not graded under an assessment, "
                                                              f"{assessment.describe()} was expected"))
        elif recorded.get("sha256") != assessment.sha256:
            outcome.checks.append(Check("assessment", "fail",
                                        f"graded under \"{recorded.get('name')}\" (sha256 "
                                        f"{str(recorded.get('sha256'))[:12]}), not {assessment.describe()}: "
                                        "other limits or weights may have applied"))
        else:
            outcome.checks.append(Check("assessment", "ok", assessment.describe()))
    return outcome


def regrade_targets(entries: list[Entry], path: Path) -> list[tuple[Entry, Path]]:
    """Which reports --regrade PATH re-grades, each with its submission:
    a lone report is re-graded from PATH; among many, those whose
    ``submission`` is PATH or lies inside it (or inside the zip PATH)."""
    reports = [entry for entry in entries if entry.report is not None]
    if len(reports) == 1:
        return [(reports[0], path)]
    root = path.resolve()
    targets = []
    for entry in reports:
        label = entry.report.get("submission")
        if not isinstance(label, str):
            continue
        inside = split_label(label)        # a.zip!/lru-cache is inside a.zip and its folder
        where = (Path(inside[0]) / inside[1] if inside else Path(label)).resolve()
        if where == root or root in where.parents:
            targets.append((entry, Path(label)))
    if not targets:
        raise UsageError(f"--regrade {path}: none of the {len(reports)} reports is for a submission at or inside "
                         f"{path}. With several reports, --regrade takes the folder their `submission` paths are "
                         "in (run verify from the folder `grader grade` ran in), e.g. --regrade submissions.")
    return targets


def regrade_settings(report: dict, path: Path, catalog: Catalog, assessment: Assessment | None,
                     nearby: Assessment | None = None):
    """(challenge with the limits to use, complexity on?, a Check saying whose limits) for re-grading ``report``.
    Without --assessment, ``nearby`` (the grader.toml found strictly above
    --regrade PATH, signed: see verify_command) is used when it is the one
    the report records (the same sha256)."""
    challenge = catalog.get(report["challenge"])
    recorded = report.get("assessment")
    limits = Check("re-grade limits", "ok", f"the challenge's own ({challenge.slug})")
    if assessment is None and isinstance(recorded, dict):
        if nearby is not None and nearby.sha256 == recorded.get("sha256"):
            assessment = nearby
        if assessment is None:
            limits = Check("re-grade limits", "warn",
                           f"graded under the assessment \"{recorded.get('name')}\", which was not found unchanged "
                           "above the re-graded PATH: re-graded with the challenge's own limits; pass --assessment "
                           "FILE to use the assessment's")
    if assessment is not None and challenge.slug in assessment.challenges:
        challenge = assessment.challenge(challenge.slug)
        limits = Check("re-grade limits", "ok", f"the assessment {assessment.describe()}")
    stages = report.get("stage_seconds") or {}
    complexity = bool(report.get("complexity")) or float(stages.get("complexity") or 0) > 0
    return challenge, complexity, limits


def compare(report: dict, fresh: dict) -> list[tuple[str, str, str]]:
    """(what, in the report, in the re-grade) for each difference."""
    differences = []
    if report.get("submission_sha256") != fresh.get("submission_sha256"):
        differences.append(("submission_sha256", str(report.get("submission_sha256"))[:16],
                            str(fresh.get("submission_sha256"))[:16] + " (the submission changed)"))
    if report.get("verdict") != fresh.get("verdict"):
        differences.append(("verdict", str(report.get("verdict")), str(fresh.get("verdict"))))
    try:
        same_score = abs(float(report.get("score")) - float(fresh.get("score"))) <= SCORE_TOLERANCE
    except (TypeError, ValueError):
        same_score = False
    if not same_score:
        differences.append(("score", f"{report.get('score')}", f"{fresh.get('score')}"))
    if report.get("feedback") == "none":
        return differences      # the report lists no tests to compare
    for group in ("correctness", "bonus"):
        theirs = {t.get("name"): t.get("status") for t in (report.get(group) or {}).get("tests", [])}
        ours = {t["name"]: t["status"] for t in (fresh.get(group) or {}).get("tests", [])}
        for name in sorted(set(theirs) | set(ours)):
            if theirs.get(name) != ours.get(name):
                differences.append((f"test {name}", theirs.get(name) or "(absent)", ours.get(name) or "(absent)"))
    return differences
