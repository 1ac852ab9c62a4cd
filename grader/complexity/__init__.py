"""Empirical complexity: does the submission meet its big-O bound?

Curve fitting cannot tell O(n) from O(n log n) on a shared machine, so we do
not try. Each operation is timed at sizes far apart, interleaved with the
reference solution in its own sandbox, on worst-case inputs built outside the
timed region; what decides is the slope of the candidate's time *relative to
the reference's* (``decide.py``), which survives a busy machine because both
suffer the same load at the same moment.
"""
