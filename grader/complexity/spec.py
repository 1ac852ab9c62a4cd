"""A challenge's benchmark spec: ``challenges/<slug>/benchmark.py``.

The spec module defines ``WORKLOAD`` (stdlib-only source that runs inside the
sandbox: for each operation a ``setup(solution, size, seed)`` that builds
worst-case inputs and fresh state, untimed, and a ``run(state)`` that does
the timed work) and ``OPERATIONS``, a list of ``Operation``.
"""

from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path

from grader.errors import ChallengeDefinitionError

# Exponent of n for each class name the specs use: logarithmic factors are
# below what timing can resolve, so they count as nothing.
CLASS_EXPONENTS = {"O(1)": 0.0, "O(log n)": 0.0, "O(m)": 1.0, "O(n)": 1.0, "O(n log n)": 1.0,
                   "O(n^2)": 2.0, "O(n^3)": 3.0}


@dataclasses.dataclass(frozen=True)
class Operation:
    name: str                    # what the report calls it: "get", "insert (N words)"
    expected: str                # the contract's bound, e.g. "O(1)"
    setup: str                   # setup function in WORKLOAD
    run: str                     # run function in WORKLOAD
    sizes: tuple[int, int]       # a small and a large n, far apart
    axis: str = "n"              # what n counts, for the report
    kind: str = "time"           # "time" or "space"
    # Another operation that this one's setup exercises (the heap's constructor, to build
    # the heap that insert is timed on). The setup's time is then that operation's to
    # answer for, measured by its own check: it does not count here, and a setup too slow
    # to finish leaves this operation unmeasured (inconclusive), not slower.
    setup_uses: str = ""

    @property
    def expected_exponent(self) -> float:
        return CLASS_EXPONENTS[self.expected]


@dataclasses.dataclass(frozen=True)
class BenchmarkSpec:
    workload: str
    operations: tuple[Operation, ...]


def load_spec(challenge_folder: Path) -> BenchmarkSpec | None:
    """The spec of a challenge, or None when it has no ``benchmark.py``."""
    path = challenge_folder / "benchmark.py"
    if not path.is_file():
        return None
    module_spec = importlib.util.spec_from_file_location(f"grader_benchmark_{challenge_folder.name}", path)
    module = importlib.util.module_from_spec(module_spec)
    try:
        module_spec.loader.exec_module(module)
        spec = BenchmarkSpec(workload=module.WORKLOAD, operations=tuple(module.OPERATIONS))
    except Exception as exc:  # noqa: BLE001 - a broken spec is the challenge author's to fix
        raise ChallengeDefinitionError(f"{path} cannot be loaded: {type(exc).__name__}: {exc}") from exc
    for operation in spec.operations:
        if operation.expected not in CLASS_EXPONENTS:
            raise ChallengeDefinitionError(
                f"{path}: operation {operation.name!r} expects {operation.expected!r}; "
                f"use one of {', '.join(CLASS_EXPONENTS)}.")
    return spec
