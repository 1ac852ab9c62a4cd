"""The similarity engine (grader/similarity): disguises, the base, known solutions, the index, determinism, hostile code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.similarity import Fingerprint, Fingerprints, compare, fingerprint_files
from grader.similarity.tokens import tokens

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "similarity"
ORIGINAL = (ROOT / "reference" / "min-heap" / "solution.py").read_text()
STUB = fingerprint_files({"solution.py": (ROOT / "challenges" / "min-heap" / "stub" / "solution.py").read_text()})
DISGUISES = ["renamed", "reformatted", "commented", "reordered", "deadcode", "forwhile"]


def _fp(text: str, base=STUB, **options) -> Fingerprints:
    return fingerprint_files({"solution.py": text}, base=base, **options)


def _score(left: str, right: str, base=STUB) -> float:
    result = compare({"left": _fp(left, base), "right": _fp(right, base)}, min_score=0)
    return result.pairs[0].score if result.pairs else 0.0


@pytest.mark.parametrize("disguise", DISGUISES)
def test_each_disguise_alone_still_scores_high(disguise):
    assert _score(ORIGINAL, (FIXTURES / f"{disguise}.py").read_text()) >= 0.75


def test_all_disguises_together_still_score_high():
    # Renamed and reformatted (its own file), then its methods reordered, comments and prints added by hand here.
    text = (FIXTURES / "renamed.py").read_text()
    head, _, body = text.partition("class MinHeap:\n")
    methods = body.split("\n\n    def ")
    methods = [methods[0]] + ["def " + item for item in methods[1:]]
    mixed = head + "class MinHeap:\n    \"\"\"Mine.\"\"\"\n\n    " + "\n\n    ".join(reversed(methods))
    mixed = mixed.replace("        a = self.arr\n", "        a = self.arr  # the array\n        print('debug')\n")
    assert _score(ORIGINAL, mixed) >= 0.6


def test_an_independent_solution_and_unrelated_code_score_low():
    assert _score(ORIGINAL, (FIXTURES / "independent.py").read_text()) < 0.25
    assert _score(ORIGINAL, (ROOT / "reference" / "lru-cache" / "solution.py").read_text()) < 0.15


def test_code_of_the_stub_never_counts():
    stub_text = (ROOT / "challenges" / "min-heap" / "stub" / "solution.py").read_text()
    assert _fp(stub_text).entries == ()
    result = compare({"alice": _fp(stub_text), "bob": _fp(stub_text), "carol": _fp(ORIGINAL)}, min_score=0)
    assert result.pairs == [] and result.clusters == []
    # Without the base, the same two stubs are identical.
    assert compare({"alice": _fp(stub_text, None), "bob": _fp(stub_text, None)}).pairs[0].score == 1.0


def test_known_solutions_pair_with_submissions_but_never_with_each_other():
    result = compare({"alice": _fp(ORIGINAL), "bob": _fp((FIXTURES / "independent.py").read_text())},
                     known={"reference": _fp(ORIGINAL), "known/2023": _fp(ORIGINAL)}, min_score=0)
    names = {(pair.a, pair.b) for pair in result.pairs}
    assert ("alice", "reference") in names and ("alice", "known/2023") in names
    assert not any({pair.a, pair.b} == {"reference", "known/2023"} for pair in result.pairs)
    for pair in result.pairs:
        assert pair.a in ("alice", "bob")
        assert pair.b_known == (pair.b in ("reference", "known/2023"))
    assert result.clusters == [["alice", "known/2023", "reference"]]
    with pytest.raises(ValueError):
        compare({"x": _fp(ORIGINAL)}, known={"x": _fp(ORIGINAL)})


def test_a_pair_names_its_score_fragment_and_line_ranges():
    renamed = (FIXTURES / "renamed.py").read_text()
    pair = compare({"a": _fp(ORIGINAL), "b": _fp(renamed)}).pairs[0]
    assert pair.score == 1.0 and pair.shared == len(_fp(ORIGINAL).hashes)
    assert pair.longest_tokens > 100
    (file_a, first_a, last_a), = pair.ranges_a
    (file_b, first_b, last_b), = pair.ranges_b
    assert file_a == file_b == "solution.py"
    assert ORIGINAL.splitlines()[first_a - 1].strip().startswith("def __init__")
    assert renamed.splitlines()[first_b - 1].strip().startswith("def __init__")
    assert last_a == len(ORIGINAL.splitlines()) and last_b == len(renamed.splitlines())


def test_the_score_is_over_the_smaller_side():
    small = "def f(values):\n" + "".join(f"    values.append(values[{i}] * 2 + len(values) - {i})\n" for i in range(8))
    big = small + "".join(f"def g{i}(x):\n    return sorted(x, key=abs)[{i}:] + list(reversed(x))\n" for i in range(20))
    pair = compare({"small": _fp(small, None), "big": _fp(big, None)}).pairs[0]
    assert pair.score == 1.0
    assert len(_fp(big, None).hashes) > 2 * len(_fp(small, None).hashes)


def test_renaming_a_builtin_that_the_file_rebinds_hides_nothing():
    original = "def f(id, input):\n    max = id + input\n    for list in range(max):\n        id = id * list + input\n    return id, max\n"
    renamed = original.replace("id", "a").replace("input", "b").replace("max", "c").replace("list", "d")
    assert [item.text for item in tokens(original)] == [item.text for item in tokens(renamed)]


def test_comments_docstrings_blank_lines_trailing_commas_and_semicolons_are_dropped():
    plain = "def f(a, b):\n    x = g(a, b)\n    y = 2\n    return x\n"
    dressed = ('def f(a, b,):\n    """Doc."""\n\n    # comment\n    x = g(\n        a,\n        b,\n    )  # why\n'
               '    "a string statement" "continued"\n    y = 2; return x\n')
    assert [item.text for item in tokens(plain)] == [item.text for item in tokens(dressed)]


def test_clusters_join_pairs_above_the_threshold():
    text = (FIXTURES / "renamed.py").read_text()
    other = (FIXTURES / "independent.py").read_text()
    result = compare({"c": _fp(text), "a": _fp(ORIGINAL), "b": _fp((FIXTURES / "commented.py").read_text()),
                      "d": _fp(other), "e": _fp((ROOT / "reference" / "lru-cache" / "solution.py").read_text())},
                     threshold=0.5, min_score=0)
    assert result.clusters == [["a", "b", "c"]]
    assert [pair.score for pair in result.pairs] == sorted((pair.score for pair in result.pairs), reverse=True)


def test_output_is_deterministic_whatever_the_order_and_the_hash_seed():
    names = {name: (FIXTURES / f"{name}.py").read_text() for name in DISGUISES + ["independent"]}
    forward = compare({name: _fp(text) for name, text in names.items()}, min_score=0).to_json()
    backward = compare({name: _fp(text) for name, text in reversed(list(names.items()))}, min_score=0).to_json()
    assert forward == backward
    code = ("import json, sys; from grader.similarity import fingerprint_files; "
            "print(json.dumps(fingerprint_files({'solution.py': sys.stdin.read()}).to_json()))")
    outputs = set()
    for seed in ("1", "2", "random"):
        run = subprocess.run([sys.executable, "-c", code], input=ORIGINAL, capture_output=True, text=True, check=True,
                             cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": seed})
        outputs.add(run.stdout)
    assert len(outputs) == 1
    assert json.loads(outputs.pop()) == _fp(ORIGINAL, None).to_json()


def test_fingerprints_round_trip_through_json():
    fp = fingerprint_files({"solution.py": ORIGINAL, "helper.py": (FIXTURES / "independent.py").read_text()},
                           base=STUB)
    assert Fingerprints.from_json(json.loads(json.dumps(fp.to_json()))) == fp


def test_the_index_never_visits_pairs_that_share_nothing():
    # 4,000 submissions with nothing in common are 8 million pairs: visiting each would take minutes.
    many = {f"s{number}": Fingerprints(entries=(Fingerprint(number * 7 + 1, "solution.py", 0, 1, 1),),
                                       tokens={"solution.py": 12}) for number in range(4000)}
    shared = Fingerprint(10**12, "solution.py", 0, 1, 1)
    many["x"] = Fingerprints(entries=(shared,), tokens={"solution.py": 12})
    many["y"] = Fingerprints(entries=(shared,), tokens={"solution.py": 12})
    started = time.perf_counter()
    result = compare(many)
    assert time.perf_counter() - started < 3
    assert [(pair.a, pair.b) for pair in result.pairs] == [("x", "y")]


def test_a_fingerprint_most_submissions_hold_is_boilerplate():
    common = Fingerprint(1, "solution.py", 0, 1, 1)
    many = {f"s{number:02}": Fingerprints(entries=(common, Fingerprint(100 + number, "solution.py", 1, 2, 2)),
                                          tokens={"solution.py": 13}) for number in range(10)}
    assert compare(many).pairs == []
    assert len(compare(many, common_fraction=1.0).pairs) == 45


def _synthetic(held: dict) -> dict:
    """name -> Fingerprints holding exactly the given hashes, one line each."""
    return {name: Fingerprints(entries=tuple(Fingerprint(value, "solution.py", 20 * number, number + 1, number + 1)
                                             for number, value in enumerate(sorted(values))),
                               tokens={"solution.py": 20 * len(values) + 12}) for name, values in held.items()}


def _brute_force(held: dict, known: dict, *, threshold, min_score) -> dict:
    """What compare() must report, pair by pair, from its docstring: (a, b) -> score."""
    from grader.similarity.compare import CROWD, MIN_FINGERPRINTS
    names = sorted(held) + sorted(known)
    sets = {**held, **known}
    holders = {}
    for name in names:
        for value in sets[name]:
            holders.setdefault(value, []).append(name)
    mine = {value: [name for name in group if name in held] for value, group in holders.items()}
    common = {value for value, group in mine.items() if len(held) >= 10 and len(group) > len(held) / 2}
    kept = {name: set(values) - common for name, values in sets.items()}
    expected, crowd_only = {}, []
    for i, a in enumerate(names):
        if a in known:
            continue
        for b in names[i + 1:]:
            together = kept[a] & kept[b]
            score = len(together) / max(MIN_FINGERPRINTS, min(len(kept[a]), len(kept[b])))
            if not together or score < min_score:
                continue
            if b in known or any(len(mine[value]) <= CROWD for value in together):
                expected[(a, b)] = score
            elif score >= threshold:
                crowd_only.append((a, b, score))
    # Found only in crowds: kept, in the order of the names, when it joins two clusters not joined yet.
    parent = {}

    def root(name):
        while parent.get(name, name) != name:
            name = parent[name]
        return name

    def join(a, b):
        low, high = sorted((root(a), root(b)))
        parent[high] = low
        return low != high

    for (a, b), score in expected.items():
        if score >= threshold:
            join(a, b)
    for a, b, score in sorted(crowd_only):
        if join(a, b):
            expected[(a, b)] = score
    return expected


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.integers(5, 40), st.integers(0, 3), st.integers(2, 60), st.randoms(use_true_random=False),
       st.sampled_from([0.0, 0.1, 0.3]))
def test_the_index_reports_exactly_the_pairs_its_docstring_promises(count, known_count, values, rng, min_score):
    # Few distinct hashes among many submissions: rare, crowded and common fingerprints all occur.
    held = {f"s{number:02}": set(rng.sample(range(values), rng.randint(0, min(values, 12)))) for number in range(count)}
    known = {f"known{number}": set(rng.sample(range(values), rng.randint(1, min(values, 12))))
             for number in range(known_count)}
    result = compare(_synthetic(held), _synthetic(known), threshold=0.46, min_score=min_score)
    got = {(pair.a, pair.b): pair.score for pair in result.pairs}
    assert got == pytest.approx(_brute_force(held, known, threshold=0.46, min_score=min_score))
    assert all(pair.b_known == (pair.b in known) for pair in result.pairs)


def test_a_solution_handed_round_to_many_more_than_a_crowd_is_still_one_cluster():
    # 30 copies in a batch of 100 (each of the seven texts four or five times over): every fingerprint they share
    # across disguises is held by more submissions than CROWD, and pairs no two of them by itself.
    from grader.similarity.compare import CROWD
    texts = [ORIGINAL] + [(FIXTURES / f"{name}.py").read_text() for name in DISGUISES]
    batch = {f"copy{number:02}": _fp(texts[number % len(texts)]) for number in range(30)}
    assert 30 > 2 * CROWD
    batch.update(_synthetic({f"other{number:02}": {10**6 + 40 * number + item for item in range(20)}
                             for number in range(70)}))
    result = compare(batch)
    assert result.clusters == [sorted(name for name in batch if name.startswith("copy"))]


def test_different_settings_cannot_be_compared():
    with pytest.raises(ValueError):
        compare({"a": _fp(ORIGINAL, None), "b": _fp(ORIGINAL, None, k=8)})
    with pytest.raises(ValueError):
        _fp(ORIGINAL, STUB, window=4)


@pytest.mark.parametrize("text", [
    "def f(:\n    return [1, 2\n",
    'x = """never closed\n' * 2000,
    "'''\n" * 20000,
    "\tif x:\n  return 1\n" * 500,
    "def f():\n\treturn 1\n        return 2\n",
    "x = $ 1 ? 2 ! `a`\n" * 200,
    "\x00\x01\x02 print(1)\n" * 100,
    "(" * 100_000,
    "x = f'{a!r:>{width}}' + f\"{b}\"\n" * 100,
    "",
])
def test_code_that_does_not_tokenize_still_fingerprints_what_it_can(text):
    started = time.perf_counter()
    fp = _fp(text, None)
    assert time.perf_counter() - started < 10
    assert all(entry.first_line <= entry.last_line for entry in fp.entries)


def test_a_syntax_error_late_in_a_copy_does_not_hide_the_rest():
    broken = ORIGINAL + "\ndef oops(:\n    return ]\n"
    assert _score(ORIGINAL, broken) >= 0.9


@pytest.mark.parametrize("line", ["x = 1\n", "values.append(values[0] + 1)\n", "a,\n"])
def test_the_largest_file_a_submission_may_hold_fingerprints_in_bounded_time(line):
    text = line * ((256 << 10) // len(line))      # MAX_SOURCE_BYTES of one line repeated
    started = time.perf_counter()
    fp = _fp(text, None)
    assert time.perf_counter() - started < 30
    assert len(fp.entries) <= sum(fp.tokens.values())
