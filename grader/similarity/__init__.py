"""Similarity between submissions: who shares code with whom (issue 15).

tokens.py (normalised tokens), fingerprint.py (k-grams and winnowing),
compare.py (the inverted index, pairs, clusters). Assessors only: nothing
here is ever shown to a candidate.
"""

from grader.similarity.compare import (DEFAULT_MIN_SCORE, DEFAULT_THRESHOLD, Pair, SimilarityResult,
                                       compare)
from grader.similarity.fingerprint import (DEFAULT_K, DEFAULT_WINDOW, Fingerprint, Fingerprints,
                                           fingerprint_files)

__all__ = ["DEFAULT_K", "DEFAULT_MIN_SCORE", "DEFAULT_THRESHOLD", "DEFAULT_WINDOW", "Fingerprint", "Fingerprints",
           "Pair", "SimilarityResult", "compare", "fingerprint_files"]
