"""The similarity benchmark's own tools (benchmarks/similarity/): a disguise
must keep the program working and be the same for the same seed, or the
labelled set measures something else; the measures must be right."""

import ast
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parents[1] / "benchmarks" / "similarity"
sys.path.insert(0, str(HERE))

import disguise  # noqa: E402
import evaluate  # noqa: E402

ROOT = HERE.parents[1]


def _source(slug):
    return (ROOT / "reference" / slug / "solution.py").read_text(encoding="utf-8")


def _keep(slug):
    return disguise.keep_names((ROOT / "challenges" / slug / "stub" / "solution.py").read_text(encoding="utf-8"))


def _module(text):
    namespace = {"__name__": "disguised"}
    exec(compile(text, "disguised.py", "exec"), namespace)     # our own reference, disguised: trusted code
    return namespace


def _lru_works(namespace):
    cache = namespace["LRUCache"](2)
    cache.put(1, 1)
    cache.put(2, 2)
    assert cache.get(1) == 1
    cache.put(3, 3)                     # evicts 2, the least recently used
    assert (cache.get(2), cache.get(3), cache.get(1)) == (-1, 3, 1)
    with pytest.raises(ValueError):
        namespace["LRUCache"](0)


@pytest.mark.parametrize("kind", disguise.KINDS)
def test_each_disguise_keeps_the_lru_reference_working_and_is_deterministic(kind):
    source = _source("lru-cache")
    first = disguise.disguise(source, kind, seed="t", keep=_keep("lru-cache"))
    assert first == disguise.disguise(source, kind, seed="t", keep=_keep("lru-cache"))
    assert (first == source) == (kind == "loop")      # the LRU reference has no for loop to turn
    _lru_works(_module(first))


@pytest.mark.parametrize("seed", range(8))
def test_all_disguises_together_keep_the_sliding_window_reference_working(seed):
    text = disguise.disguise(_source("sliding-window"), "all", seed=seed, keep=_keep("sliding-window"))
    function = _module(text)["max_sum_k_consecutive"]
    assert function([1, -2, 3, 4, -1, 2], 3) == 6
    assert function([5], 1) == 5
    with pytest.raises(ValueError):
        function([1, 2], 3)


def test_rename_keeps_the_api_and_renames_what_the_file_defines():
    text = disguise.rename(_source("lru-cache"), disguise._rng(1, "rename"), _keep("lru-cache"))
    names = disguise.identifiers(text)
    assert {"LRUCache", "get", "put", "capacity", "key", "value"} <= names
    assert not {"_Node", "_unlink", "_push_front", "oldest"} & names


def test_reformat_changes_the_layout_but_not_the_tree():
    source = _source("hash-map")
    texts = {disguise.reformat(source, disguise._rng(seed, "reformat")) for seed in range(6)}
    assert source not in texts and len(texts) > 1
    for text in texts:
        assert ast.dump(ast.parse(text)) == ast.dump(ast.parse(source))


def test_comments_are_replaced_and_a_body_left_empty_gets_pass():
    source = 'class E(Exception):\n    """Only a docstring."""\n\n\ndef f(x):\n    # why\n    return x  # what\n'
    text = disguise.strip_comments(source)
    assert "#" not in text and "docstring" not in text
    assert _module(text)["f"](3) == 3 and issubclass(_module(text)["E"], Exception)


def test_loop_disguise_turns_a_for_into_a_while():
    text = disguise.for_to_while(_source("sliding-window"), disguise._rng(0, "loop"))
    tree = ast.parse(text)
    assert not any(isinstance(node, ast.For) for node in ast.walk(tree))
    assert any(isinstance(node, ast.While) for node in ast.walk(tree))


def test_reorder_keeps_every_definition_time_dependency():
    source = (
        "def deco(f):\n    return f\n\n\n"
        "class A:\n    pass\n\n\n"
        "@deco\ndef g():\n    return helper()\n\n\n"
        "class B(A):\n    def one(self):\n        return 1\n\n    def two(self):\n        return 2\n\n\n"
        "def helper():\n    return 5\n\n\n"
        "VALUE = g()\n\n\n"
        "def later():\n    return VALUE\n"
    )
    seen = set()
    for seed in range(30):
        text = disguise.reorder(source, disguise._rng(seed, "reorder"))
        namespace = _module(text)            # NameError here if a dependency was broken
        assert namespace["VALUE"] == 5 and namespace["B"]().two() == 2
        seen.add(text)
    assert len(seen) > 5


def test_auc_counts_ties_as_half_and_threshold_is_taken_from_the_data():
    assert evaluate.auc([0.9, 0.8], [0.1, 0.2]) == 1.0
    assert evaluate.auc([0.5], [0.5]) == 0.5
    assert evaluate.auc([0.2], [0.4, 0.1]) == 0.5
    value, how, tpr, fpr = evaluate.threshold([0.8, 0.9], [0.1, 0.4])
    assert value == pytest.approx(0.6) and how == "midway in the gap" and (tpr, fpr) == (1.0, 0.0)
    value, how, tpr, fpr = evaluate.threshold([0.3, 0.8, 0.9], [0.1, 0.35, 0.5])
    assert how.startswith("max TPR-FPR") and 0.5 < value <= 0.8 and tpr == pytest.approx(2 / 3) and fpr == 0.0
