"""From timings to a verdict: pure functions, so they are tested on numbers.

The statistic is the *relative slope*: how much faster the candidate's time
grows with n than the reference's, on a log-log scale,

    relative_slope = log(r_large / r_small) / log(n_large / n_small)

where r = candidate time / reference time at each size. An implementation in
the reference's class has a relative slope near 0 whatever its constant
factor; one a whole power of n worse has it near 1. Between the two
thresholds a result is borderline and is measured again before a verdict.
"""

from __future__ import annotations

import dataclasses
import math

from grader.complexity.spec import CLASS_EXPONENTS, Operation

MEETS_BELOW = 0.35       # relative slope under this: same class as the reference
SLOWER_ABOVE = 0.6       # over this: polynomially worse
CAP_MULTIPLE = 40.0      # candidate/reference time at the largest size that is hopeless at once
SPACE_FLOOR_BYTES = 64 << 10   # extra memory this small counts as constant


@dataclasses.dataclass(frozen=True)
class Decision:
    verdict: str              # meets | slower | inconclusive | borderline
    relative_slope: float | None
    measured: str
    reason: str


def apparent_class(expected: str, relative_slope: float) -> str:
    exponent = CLASS_EXPONENTS[expected] + max(0.0, relative_slope)
    rounded = round(exponent)
    if rounded <= 0:
        return expected if CLASS_EXPONENTS[expected] == 0 else "O(1)"
    if rounded == CLASS_EXPONENTS[expected]:
        return expected
    return "O(n)" if rounded == 1 else f"O(n^{rounded})"


def relative_slope(sizes: tuple[int, int], candidate: tuple[float, float], reference: tuple[float, float]) -> float:
    small_ratio = candidate[0] / reference[0]
    large_ratio = candidate[1] / reference[1]
    return math.log(large_ratio / small_ratio) / math.log(sizes[1] / sizes[0])


def decide_time(operation: Operation, candidate: tuple[float, float], reference: tuple[float, float],
                *, final: bool) -> Decision:
    """``candidate``/``reference``: best seconds at the small and large size."""
    slope = relative_slope(operation.sizes, candidate, reference)
    measured = apparent_class(operation.expected, slope)
    if slope <= MEETS_BELOW:
        return Decision("meets", slope, operation.expected, "grows like the reference")
    if slope >= SLOWER_ABOVE:
        return Decision("slower", slope, measured, "grows faster than the reference")
    if not final:
        return Decision("borderline", slope, measured, "between the thresholds; measuring again")
    middle = (MEETS_BELOW + SLOWER_ABOVE) / 2
    if abs(slope - middle) < 0.05:
        return Decision("inconclusive", slope, measured, "still between the thresholds after re-measuring")
    verdict = "meets" if slope < middle else "slower"
    return Decision(verdict, slope, operation.expected if verdict == "meets" else measured,
                    "decided after re-measuring")


def decide_space(operation: Operation, candidate: tuple[float, float], reference: tuple[float, float]) -> Decision:
    """``candidate``/``reference``: peak extra bytes at the small and large size."""
    small, large = candidate
    growth = math.log(max(large, 1.0) / max(small, 1.0)) / math.log(operation.sizes[1] / operation.sizes[0])
    if large <= max(SPACE_FLOOR_BYTES, 4 * reference[1]):
        return Decision("meets", growth, operation.expected, "extra memory stays small")
    if growth >= SLOWER_ABOVE:
        return Decision("slower", growth, apparent_class(operation.expected, growth),
                        "extra memory grows with n")
    return Decision("inconclusive", growth, operation.expected, "extra memory is large but does not grow clearly")
