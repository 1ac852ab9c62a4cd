"""Workspaces and assessment kits: what a candidate is given.

A workspace (``grader start``) is a folder with the challenge's stub
``solution.py``, its prompt as ``README.md`` and the ``.grader.toml`` marker
naming the challenge. A kit (``grader kit``) is the assessment file (signed
when $GRADER_SIGNING_KEY is set), a README for the candidate, and one
workspace per challenge: never the hidden tests, benchmark specs, reference
solutions or mutants.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import textwrap
import zipfile
from pathlib import Path

from grader.assessment import ASSESSMENT_FILE, Assessment
from grader.catalog import Challenge
from grader.constants import MARKER_FILE, SOLUTION_FILE
from grader.errors import UsageError
from grader.fileio import atomic_output
from grader.signing import sign_file, signing_key

ZIP_DATE = (1980, 1, 1, 0, 0, 0)     # fixed timestamps: the same kit gives the same bytes


def workspace_files(challenge: Challenge, challenges_dir: Path | None = None) -> dict[str, bytes]:
    """A workspace's files by name: the stub, the prompt and the marker. The
    marker records ``challenges_dir`` (a private challenge's folder) so that
    ``grader test`` in the workspace finds the challenge again; kits never
    record one (the path is the assessor's)."""
    marker = f'challenge = "{challenge.slug}"\n'
    if challenges_dir is not None:
        marker += f"challenges_dir = {json.dumps(str(challenges_dir), ensure_ascii=False)}\n"  # a TOML string
    return {
        SOLUTION_FILE: (challenge.stub_folder / SOLUTION_FILE).read_bytes(),
        "README.md": challenge.prompt_path.read_bytes(),
        MARKER_FILE: marker.encode(),
    }


def write_workspace(challenge: Challenge, directory: Path, challenges_dir: Path | None = None) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name, content in workspace_files(challenge, challenges_dir).items():
        (directory / name).write_bytes(content)


def _seconds(value: float) -> str:
    return f"{value:g} s"


def candidate_readme(assessment: Assessment) -> str:
    """Instructions for the candidate: the challenges, the limits, how to
    test and submit, and what feedback they will see."""
    total = assessment.total_weight
    rows = []
    for slug in assessment.slugs:
        challenge = assessment.challenge(slug)
        limits = challenge.limits
        rows.append(f"| [{challenge.title}]({slug}/README.md) | `{slug}/` | {100 * assessment.weight(slug) / total:.0f}% "
                    f"| {_seconds(limits.call_timeout)} | {_seconds(limits.total_timeout)} | {limits.memory_mb} MiB |")
    feedback = {
        "full": "every failing test's message and counterexample (the calls that fail, ready to paste into a "
                "REPL), and the numbers behind each complexity check",
        "summary": "whether each hidden test and each complexity check passes, without messages, "
                   "counterexamples or measurements",
        "none": "only the verdict (pass, fail or error) and the score",
    }[assessment.feedback]
    first = assessment.slugs[0]
    hints = ("`grader hint` is switched off in this assessment (`hints = false` in its grader.toml)."
             if not assessment.hints else
             "After a failing test, `grader hint` shows the sentence of the prompt the failure breaks and one\n"
             "hint at a time; your reports count the hints you asked for (`hints_used`).")
    return f"""# {assessment.name}

This kit holds {len(assessment.slugs)} challenge{'s' if len(assessment.slugs) > 1 else ''}. Each folder has the
prompt (`README.md`) and a stub `solution.py`: write your solution there.

| challenge | folder | share of the total | time per call | time for all tests | memory |
|---|---|---:|---:|---:|---:|
{chr(10).join(rows)}

Only the Python standard library may be imported. Other `.py` files beside
`solution.py` may be imported by it.

## Testing your work

Install the grader as your assessor told you (it provides the `grader`
command), then, in a challenge's folder:

```sh
cd {first}
grader test                  # quick feedback: fewer examples, no timing
grader test --complexity     # ... and the big-O checks too
grader submit                # the full grade: every hidden test, then the big-O checks
```

At the kit's root (this folder), `grader test` and `grader submit` grade
every challenge in turn. `grader history` shows your attempts so far.
{hints}

The grader finds the challenge from the folder's `.grader.toml` and this
assessment from `{ASSESSMENT_FILE}` in the folder above: keep both as they are.
Your assessor grades with their own copy of the assessment and tells the
challenge from the folder names, so editing either file changes only what
you see here, never your grade.

## Feedback

{textwrap.fill(f"In this assessment `grader test` and `grader submit` show you {feedback}. "
               "Your assessor grades the work you hand in again, with the same hidden tests, "
               "on their own machine.", 78)}

## Handing in

Hand back this whole folder (for instance zipped) as your assessor asked.
"""


def kit_assessment_bytes(assessment: Assessment) -> bytes:
    """The kit's grader.toml: the assessment file's bytes, and with
    $GRADER_SIGNING_KEY set a last line signing them (grader/signing.py),
    so that an assessor holding the key can tell the kit's file untouched."""
    data = assessment.path.read_bytes()
    key = signing_key()
    return sign_file(data, key) if key else data


def kit_files(assessment: Assessment) -> dict[str, bytes]:
    """Every file of the kit by relative posix path."""
    files = {ASSESSMENT_FILE: kit_assessment_bytes(assessment),
             "README.md": candidate_readme(assessment).encode("utf-8")}
    for slug in assessment.slugs:
        for name, content in workspace_files(assessment.challenge(slug)).items():
            files[f"{slug}/{name}"] = content
    return files


def write_kit(assessment: Assessment, output: Path, *, force: bool = False) -> Path:
    """A folder, or a .zip when ``output`` ends with .zip (written atomically,
    its entries inside a folder named after the zip). Refuses to overwrite a
    non-empty folder or an existing zip unless ``force``."""
    files = kit_files(assessment)
    if output.suffix.lower() == ".zip":
        return _write_zip(files, output, force=force)
    return _write_folder(files, output, force=force)


def _write_zip(files: dict, output: Path, *, force: bool) -> Path:
    if output.is_dir():
        raise UsageError(f"{output} is a folder; give a file name ending in .zip, or a folder without .zip.")
    if output.exists() and not force:
        raise UsageError(f"{output} already exists; it was left untouched. Pass --force to replace it, "
                         "or choose another name.")
    top = output.stem
    with atomic_output(output) as handle:
        with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name in sorted(files):
                info = zipfile.ZipInfo(f"{top}/{name}", date_time=ZIP_DATE)
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, files[name])
    return output


def _write_folder(files: dict, output: Path, *, force: bool) -> Path:
    if output.exists() and not output.is_dir():
        raise UsageError(f"{output} exists and is not a folder; it was left untouched. Choose another --output.")
    if output.is_dir() and any(output.iterdir()):
        if not force:
            raise UsageError(f"{output} is not empty; nothing was written. Choose a new folder, or pass --force "
                             "to write the kit's files into it (other files there stay).")
        for name, content in files.items():
            (output / name).parent.mkdir(parents=True, exist_ok=True)
            (output / name).write_bytes(content)
        return output
    # A new (or empty) folder appears whole or not at all: built beside it, then renamed.
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent))
    try:
        for name, content in files.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_bytes(content)
        os.chmod(staging, 0o755)
        if output.is_dir():
            output.rmdir()
        os.rename(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return output
