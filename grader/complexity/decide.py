"""From timings to a verdict: pure functions, so they are tested on numbers.

The statistic is the *relative slope*: how much faster the candidate's time
grows with n than the reference's, on a log-log scale,

    relative_slope = log(r_large / r_small) / log(n_large / n_small)

where r = candidate time / reference time at each size. An implementation in
the reference's class has a relative slope near 0 whatever its constant
factor; one a whole power of n worse has it near 1. Between the two
thresholds a result is borderline and is measured again before a verdict.

A quadratic whose inner loop is in C (``list.pop(0)``, slicing, ``insert(0,
x)``: a memmove per step) costs a·n + b·n² with b tiny: at small n it looks
linear and its ratio to the reference grows like 1 + (b/a)·n, so over two
decades its slope is only 0.3-0.5. So a result that is not clearly flat is
measured at a third size, ``TOP_FACTOR`` times the large one: a ratio that
keeps growing in proportion to n at the top (slope near 1 there) while it
grew over the whole range is that quadratic, and is slower.
"""

from __future__ import annotations

import dataclasses
import math
import os

from grader.complexity.spec import CLASS_EXPONENTS, Operation

MEETS_BELOW = 0.35       # relative slope under this: same class as the reference
SLOWER_ABOVE = 0.6       # over this: polynomially worse
CAP_MULTIPLE = 40.0      # candidate/reference time at the largest size that is hopeless at once
SPACE_FLOOR_BYTES = 64 << 10   # extra memory this small counts as constant
TOP_FACTOR = 4           # the third size, for results that are not clearly flat
SUSPICIOUS_ABOVE = 0.15  # a relative slope over this is not clearly flat


def space_noise_ceiling(cpus: int) -> int:
    """More than the kernel's approximate resident count reads with nothing
    allocated. It folds a process's count per CPU in batches of max(32,
    2 x CPUs) pages, so a reading is off by up to a batch per CPU the call ran
    on (80 KiB seen on 2 CPUs): four batches, and at least 1 MiB."""
    return max(1 << 20, 4 * 4096 * max(32, 2 * cpus))


SPACE_NOISE_CEILING = space_noise_ceiling(os.cpu_count() or 1)


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


def needs_third_size(decision: Decision) -> bool:
    """Not clearly flat, not yet slower: measure at the third size."""
    return decision.verdict in ("meets", "borderline") and (decision.relative_slope or 0.0) > SUSPICIOUS_ABOVE


def third_size(operation: Operation) -> int:
    return operation.sizes[1] * TOP_FACTOR


def decide_time(operation: Operation, candidate: tuple, reference: tuple, *, final: bool) -> Decision:
    """``candidate``/``reference``: best seconds at the small and large size,
    and at the third size when it was measured."""
    if len(candidate) == 3:
        return _decide_with_third_size(operation, candidate, reference, final=final)
    slope = relative_slope(operation.sizes, candidate, reference)
    return _decide_slope(operation, slope, final=final)


def _decide_with_third_size(operation: Operation, candidate: tuple, reference: tuple, *, final: bool) -> Decision:
    small, large = operation.sizes
    top = third_size(operation)
    overall = relative_slope((small, top), (candidate[0], candidate[2]), (reference[0], reference[2]))
    upper = relative_slope((large, top), (candidate[1], candidate[2]), (reference[1], reference[2]))
    if overall > MEETS_BELOW and upper >= SLOWER_ABOVE and overall < SLOWER_ABOVE:
        return Decision("slower", overall, apparent_class(operation.expected, max(overall, upper)),
                        f"grows faster than the reference: its time ratio keeps growing with n at the top "
                        f"(n={large:,} to {top:,})")
    return _decide_slope(operation, overall, final=final)


def _decide_slope(operation: Operation, slope: float, *, final: bool) -> Decision:
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


def space_reading(smallest: float, largest: float) -> float:
    """What a size's repetitions count for: the smallest reading (noise only
    adds, and at most some 80 KiB), unless one read over SPACE_NOISE_CEILING:
    memory that call did allocate, which a later call may only have reused (a
    map kept between calls and stamped instead of cleared grows on some calls
    only), so a later small reading does not undo it."""
    return largest if largest > SPACE_NOISE_CEILING else smallest


def space_settled(smallest: float, largest: float) -> bool:
    """Whether the repetitions so far already decide a space check: extra
    memory at the large size within the floor, and no reading past the noise
    ceiling, is constant whatever the reference's. More repetitions could
    only lower the smallest reading, so they would give the same verdict
    ("meets")."""
    return space_reading(smallest, largest) <= SPACE_FLOOR_BYTES


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
