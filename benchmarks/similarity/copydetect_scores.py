"""copydetect's similarity for given pairs of texts (run in copydetect's own interpreter).

Reads JSON on stdin: {"noise": 25, "guarantee": 25, "groups": [{"stub": TEXT,
"texts": [TEXT, ...], "pairs": [[i, j], ...]}, ...]} and writes {"version":
..., "scores": [[score per pair] per group]}. Each text is fingerprinted as
copydetect's CopyDetector does (Pygments tokens, names as V/F/O, strings as
S; k = noise threshold, window = guarantee - noise + 1; the stub's k-grams as
boilerplate), and a pair's score is the larger of copydetect's two
similarities (the share of either file's tokens found in the other), the
counterpart of grader's shared-over-the-smaller-side score.

copydetect is not a dependency of grader: evaluate.py runs this file with
the interpreter of a throwaway virtualenv that has it.
"""

import io
import json
import sys

import numpy as np
from copydetect import __version__ as version  # noqa: F401 - reported
from copydetect.detector import CodeFingerprint, compare_files


def main() -> int:
    request = json.load(sys.stdin)
    noise, guarantee = request.get("noise", 25), request.get("guarantee", 25)
    window = guarantee - noise + 1
    out = []
    for group in request["groups"]:
        boiler = CodeFingerprint("solution.py", noise, 1, fp=io.StringIO(group["stub"])).hashes
        boiler = np.unique(np.array(list(boiler)))
        prints = [CodeFingerprint("solution.py", noise, window, boilerplate=boiler, fp=io.StringIO(text))
                  for text in group["texts"]]
        scores = []
        for left, right in group["pairs"]:
            _overlap, (first, second), _slices = compare_files(prints[left], prints[right])
            scores.append(float(max(first, second)))
        out.append(scores)
    json.dump({"version": version, "scores": out}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
