"""Complexity verdicts: the decision rule on numbers, and the pipeline end to end."""

import contextlib
from pathlib import Path

import pytest

from grader.catalog import Catalog
from grader.complexity import decide, measure
from grader.complexity.spec import BenchmarkSpec, Operation
from grader.harness.replies import Answer
from grader.grading import GradeOptions, grade
from grader.sandbox.process import ProcessBackend

OP = Operation(name="get", expected="O(1)", setup="s", run="r", sizes=(1_000, 32_000))
LINEAR = Operation(name="find", expected="O(n)", setup="s", run="r", sizes=(1_000, 32_000))


@pytest.mark.parametrize("candidate, reference, verdict", [
    ((0.010, 0.011), (0.010, 0.010), "meets"),          # same growth
    ((0.050, 0.060), (0.010, 0.011), "meets"),          # 5x slower constant factor, same class
    ((0.010, 0.320), (0.010, 0.010), "slower"),         # linear where constant is required
    ((0.010, 0.100), (0.010, 0.010), "slower"),         # clearly growing
])
def test_relative_slope_decides(candidate, reference, verdict):
    assert decide.decide_time(OP, candidate, reference, final=True).verdict == verdict


def test_borderline_is_measured_again_before_a_verdict():
    middle = 32 ** 0.47  # relative slope 0.47, between the thresholds
    assert decide.decide_time(OP, (0.01, 0.01 * middle), (0.01, 0.01), final=False).verdict == "borderline"
    assert decide.decide_time(OP, (0.01, 0.01 * middle), (0.01, 0.01), final=True).verdict == "inconclusive"


def test_apparent_class_adds_the_relative_slope_to_the_expected_exponent():
    assert decide.apparent_class("O(1)", 1.02) == "O(n)"
    assert decide.apparent_class("O(n)", 0.97) == "O(n^2)"
    assert decide.apparent_class("O(n)", 0.05) == "O(n)"
    assert decide.decide_time(LINEAR, (0.01, 10.0), (0.01, 0.32), final=True).measured == "O(n^2)"


def test_space_that_stays_small_meets_and_space_that_grows_is_slower():
    space = Operation(name="space", expected="O(1)", setup="s", run="r", sizes=(10_000, 160_000), kind="space")
    assert decide.decide_space(space, (400.0, 420.0), (300.0, 300.0)).verdict == "meets"
    assert decide.decide_space(space, (600_000.0, 9_000_000.0), (300.0, 300.0)).verdict == "slower"


SPACE = Operation(name="extra space", expected="O(1)", setup="s", run="r", sizes=(10_000, 160_000), kind="space")
NOISE = 81_920.0    # 20 pages: what the kernel's approximate resident count reads now and then, with nothing allocated


class _Session:
    """Stands in for a sandbox session: only pausing is asked of it here."""

    @contextlib.contextmanager
    def paused(self):
        yield


def _space_check(monkeypatch, candidate_bytes):
    """check_operation on SPACE, each candidate batch reading the next of
    ``candidate_bytes`` (the reference reads 0): its verdict and how many
    candidate batches it took."""
    readings = iter(candidate_bytes)
    batches = []

    def one_batch(session, spec, operation, size, seed, timeout, setup_timeout=measure.SETUP_TIMEOUT):
        value = 0.0 if session == "reference" else next(readings)
        if session != "reference":
            batches.append((size, seed))
        return measure.Batch(0.001, value, Answer("same", 1, "[None]"))

    monkeypatch.setattr(measure, "_one_batch", one_batch)
    candidate = _Session()
    result = measure.check_operation(BenchmarkSpec("", (SPACE,)), SPACE, candidate, "reference", seed=1)
    return result.verdict, batches


def test_a_space_check_within_the_floor_at_once_takes_one_repetition(monkeypatch):
    verdict, batches = _space_check(monkeypatch, [0.0, 4096.0])
    assert verdict == "meets" and [size for size, _ in batches] == [10_000, 160_000]


def test_a_space_check_measures_again_past_noise_until_it_is_within_the_floor(monkeypatch):
    """Three noisy readings at the large size in a row made a constant-space
    solution `slower` when every check took three repetitions: it fails without
    the repetition that reads clean."""
    verdict, batches = _space_check(monkeypatch, [0.0, NOISE, NOISE, NOISE, 0.0, NOISE, 0.0, 0.0])
    assert verdict == "meets"
    assert len(batches) == 8 and len({seed for _, seed in batches}) == 8     # new inputs every repetition


def test_a_visited_set_gets_every_space_repetition_and_is_slower(monkeypatch):
    verdict, batches = _space_check(monkeypatch, [600_000.0, 9_000_000.0] * measure.SPACE_REPETITIONS)
    assert verdict == "slower" and len(batches) == 2 * measure.SPACE_REPETITIONS


def test_memory_a_call_allocated_counts_though_a_later_call_reads_small(monkeypatch):
    """A visited map kept between calls (stamped, not cleared) grows on some
    calls only: these are linked-list-cycle's has_cycle readings with one,
    2.7, 2.9 and 40 MiB at the large size, then 36 KiB. Noise never reads a
    mebibyte, so that memory was the call's; `meets` without the ceiling."""
    verdict, batches = _space_check(monkeypatch, [0.0, 2_818_048.0, 0.0, 3_080_192.0, 0.0, 42_373_120.0,
                                                  0.0, 36_864.0, 0.0, 0.0])
    assert verdict == "slower" and len(batches) == 2 * measure.SPACE_REPETITIONS


def test_space_is_settled_only_within_the_floor():
    floor, ceiling = decide.SPACE_FLOOR_BYTES, decide.SPACE_NOISE_CEILING
    assert decide.space_settled(floor, floor)
    assert decide.space_settled(floor, ceiling)           # noise at most, then a clean reading
    assert not decide.space_settled(floor + 4096, floor + 4096)
    assert not decide.space_settled(0.0, ceiling + 4096)  # an earlier call allocated that much


def test_the_noise_ceiling_grows_with_the_kernels_per_cpu_batches():
    assert decide.space_noise_ceiling(2) == decide.space_noise_ceiling(32) == 1 << 20
    assert decide.space_noise_ceiling(128) == 4 * 4096 * 256      # 4 MiB: four batches of 256 pages


def test_a_visited_map_kept_between_calls_is_slower_end_to_end():
    """Its has_cycle reads megabytes on the calls where the map grows and
    almost nothing on one where it does not."""
    challenge = Catalog().get("linked-list-cycle")
    mutant = ROOT / "reference" / "linked-list-cycle" / "mutants" / "stamped_visited_map.py"
    report = grade(mutant, challenge, ProcessBackend(), GradeOptions(max_examples=5))
    verdicts = {c.operation: c.verdict for c in report.complexity}
    assert verdicts["extra space of has_cycle"] == "slower", report.complexity
    assert report.verdict == "fail"


@pytest.fixture(scope="module")
def lru():
    return Catalog().get("lru-cache")


ROOT = Path(__file__).resolve().parents[1]


def test_reference_meets_and_a_list_scan_is_slower_end_to_end(lru):
    backend = ProcessBackend()
    fast = grade(ROOT / "examples" / "lru-cache", lru, backend, GradeOptions(max_examples=5))
    assert fast.verdict == "pass", fast.message
    assert {c.operation: c.verdict for c in fast.complexity} == {"get": "meets", "put": "meets"}
    slow = grade(ROOT / "reference" / "lru-cache" / "mutants" / "slow_list_scan.py", lru, backend,
                 GradeOptions(max_examples=5))
    assert slow.verdict == "fail"
    assert {c.operation: c.verdict for c in slow.complexity} == {"get": "slower", "put": "slower"}
    put = slow.to_dict()["complexity"][1]
    assert put["sizes"] == [500, 50_000] and len(put["candidate_seconds"]) == 2


def test_a_clock_faking_submission_cannot_look_fast(lru, tmp_path):
    source = (ROOT / "reference" / "lru-cache" / "mutants" / "slow_list_scan.py").read_text()
    (tmp_path / "solution.py").write_text(
        "import time\n_t = [0.0]\ndef _fake():\n    _t[0] += 1e-9\n    return _t[0]\n"
        "time.perf_counter = time.monotonic = time.time = time.process_time = _fake\n" + source)
    report = grade(tmp_path, lru, ProcessBackend(), GradeOptions(max_examples=5))
    assert [c.verdict for c in report.complexity] == ["slower", "slower"]


def test_complexity_is_not_measured_when_a_hidden_test_fails(lru):
    report = grade(ROOT / "reference" / "lru-cache" / "mutants" / "evicts_most_recent.py", lru, ProcessBackend(),
                   GradeOptions(max_examples=10))
    assert report.verdict == "fail" and report.complexity == ()


def test_a_slow_constructor_is_blamed_on_the_constructor_not_on_the_operations_its_setups_use():
    """insert, extract_min and peek are timed on heaps their setups build with
    MinHeap(items); an O(n^2) constructor made all four `slower` (issue 12)."""
    challenge = Catalog().get("min-heap")
    mutant = ROOT / "reference" / "min-heap" / "mutants" / "slow_constructor_copies_the_list.py"
    report = grade(mutant, challenge, ProcessBackend(), GradeOptions(max_examples=10))
    verdicts = {c.operation: c for c in report.complexity}
    assert verdicts["MinHeap(items)"].verdict == "slower"
    for operation in ("insert", "extract_min", "peek and len"):
        assert verdicts[operation].verdict != "slower", verdicts[operation]
        if verdicts[operation].verdict == "inconclusive":
            assert "MinHeap(items)" in verdicts[operation].details["reason"]
    assert report.verdict == "fail"


def test_a_quadratic_with_a_c_inner_loop_is_slower_at_the_third_size():
    """a*n + b*n^2 with b tiny (a memmove per step): its ratio to the reference
    grows like 1 + (b/a)*n, a slope of only ~0.4 over two decades."""
    op = Operation(name="flatten", expected="O(n)", setup="s", run="r", sizes=(1_000, 100_000))
    reference = (0.010, 0.010, 0.010)
    ratio = [1.0 + 5.5 * n / 100_000 for n in (1_000, 100_000, decide.third_size(op))]
    two_sizes = decide.decide_time(op, tuple(r * 0.010 for r in ratio[:2]), reference[:2], final=False)
    assert two_sizes.verdict in ("meets", "borderline") and decide.needs_third_size(two_sizes)
    three = decide.decide_time(op, tuple(r * 0.010 for r in ratio), reference, final=False)
    assert three.verdict == "slower" and "at the top" in three.reason


@pytest.mark.parametrize("ratios", [(1.0, 1.3, 2.0), (1.0, 1.6, 1.5), (6.9, 11.5, 12.9)])
def test_a_linear_candidate_whose_ratio_drifts_is_not_slower_at_the_third_size(ratios):
    """Cache effects, noise, or a log factor (which counts as nothing) are not a quadratic."""
    op = Operation(name="op", expected="O(n)", setup="s", run="r", sizes=(1_000, 100_000))
    decision = decide.decide_time(op, tuple(r * 0.01 for r in ratios), (0.01, 0.01, 0.01), final=True)
    assert decision.verdict == "meets"


def test_the_flatten_mutant_that_splices_its_work_list_is_slower_end_to_end():
    challenge = Catalog().get("flatten")
    mutant = ROOT / "reference" / "flatten" / "mutants" / "slow_splice_the_stack.py"
    report = grade(mutant, challenge, ProcessBackend(), GradeOptions(max_examples=10))
    assert [c.verdict for c in report.complexity] == ["slower"], report.complexity


def test_a_benchmark_run_imports_nothing_while_it_is_measured(tmp_path):
    """The first bench_run of a fresh sandbox imported hashlib for its answer's
    digest: 3.6 MB of libraries mapped while the space check read the process's
    memory (over the noise ceiling, so constant space would read as growing)."""
    import subprocess
    import sys
    (tmp_path / "solution.py").write_text("def f():\n    return 1\n")
    script = f"""
import sys
sys.path.insert(0, {str(ROOT)!r}); sys.path.append({str(tmp_path)!r})
from grader.agent.agent import Agent
agent = Agent({str(tmp_path)!r}, "solution")
assert agent.handle({{"op": "import", "entry_points": ["f"]}})["ok"]
workload = "def setup(solution, n, seed):\\n    return n\\ndef run(state):\\n    return [state]\\n"
assert agent.handle({{"op": "bench_setup", "workload": workload, "setup": "setup", "run": "run", "size": 3,
                      "seed": 1}})["ok"]
before = set(sys.modules)
assert agent.handle({{"op": "bench_run"}})["ok"]
print(sorted(set(sys.modules) - before))
"""
    done = subprocess.run([sys.executable, "-I", "-S", "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_space_check_caps_the_candidate_s_run_by_the_reference_s_time_not_its_bytes(monkeypatch):
    """The cap was 40 x the reference's reading, in bytes for a space check: a
    reference that read 28 KiB gave the candidate a 13-day cap, so an O(n^2)
    walk ran until the CPU limit killed it (a minute, then "wrong answer")."""
    caps = []

    def one_batch(session, spec, operation, size, seed, timeout, setup_timeout=measure.SETUP_TIMEOUT):
        if session == "reference":
            return measure.Batch(0.001, 28_672.0, Answer("same", 1, "[None]"), 0.002)
        caps.append(timeout)
        return measure.Batch(0.001, 0.0, Answer("same", 1, "[None]"), 0.002)

    monkeypatch.setattr(measure, "_one_batch", one_batch)
    result = measure.check_operation(BenchmarkSpec("", (SPACE,)), SPACE, _Session(), "reference", seed=1)
    assert result.verdict == "meets"
    assert caps and max(caps) == measure.MIN_CANDIDATE_TIMEOUT       # 40 x 0.002 s is under the floor
