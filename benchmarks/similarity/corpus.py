"""The labelled evaluation set: independent solutions and their disguised copies.

For every challenge: the solutions in independent/<slug>/<author>/solution.py
(each written separately, in its own style) plus the built-in reference
(author "reference"), and, made from each of them by disguise.py, one copy
per disguise. A disguise that leaves a solution unchanged (nothing to
reorder in a one-function file, no `for` loop to turn into a `while`) is
left out: an untouched copy would test nothing.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
INDEPENDENT = HERE / "independent"
sys.path.insert(0, str(HERE))

import disguise as _disguise  # noqa: E402


@dataclasses.dataclass(frozen=True)
class Solution:
    challenge: str
    author: str
    text: str
    kind: str = ""           # "" for an original, else the disguise that made it from author's

    @property
    def name(self) -> str:
        return f"{self.author}~{self.kind}" if self.kind else self.author


def revision() -> str:
    """The commit the measured code is at ("+changes" when grader/similarity differs from it)."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, timeout=30).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "grader/similarity"], cwd=ROOT,
                               capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "an unknown commit"
    return f"commit {head or '?'}" + (" +changes in grader/similarity" if dirty else "")


def challenges() -> list:
    return sorted(path.name for path in INDEPENDENT.iterdir() if path.is_dir())


def stub(slug: str) -> str:
    return (ROOT / "challenges" / slug / "stub" / "solution.py").read_text(encoding="utf-8")


def originals(slug: str) -> list:
    found = [Solution(slug, folder.name, (folder / "solution.py").read_text(encoding="utf-8"))
             for folder in sorted((INDEPENDENT / slug).iterdir()) if (folder / "solution.py").is_file()]
    found.append(Solution(slug, "reference", (ROOT / "reference" / slug / "solution.py").read_text(encoding="utf-8")))
    return found


def disguised(slug: str, kinds=_disguise.KINDS) -> list:
    """One copy of each original per disguise kind, skipping copies identical to their original."""
    keep = _disguise.keep_names(stub(slug))
    copies = []
    for original in originals(slug):
        for kind in kinds:
            text = _disguise.disguise(original.text, kind, seed=f"{slug}/{original.author}/{kind}", keep=keep)
            if text != original.text:
                copies.append(Solution(slug, original.author, text, kind))
    return copies
