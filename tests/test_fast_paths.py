"""The fast paths of the trust boundary (issue 16: `grader test` under a
second) decide exactly what the slow paths decide.

A large value read back from the sandbox (a sorted list of 100,000 ints) is
decoded by ``nodes._decode_flat`` instead of the general walk, and the
agent's progress notes are read as bytes instead of through the JSON parser.
Both take only input of one exact shape and hand anything else, hostile or
merely different, to the general path: these tests forge tables and lines
and check the two paths never disagree.
"""

from __future__ import annotations

import copy
import json
import os

import pytest
from hypothesis import given, settings, strategies as st

from grader.agent.agent import FLAT_ITEMS, PROGRESS_NOTE, ListSubclass, encode, encode_general
from grader.harness import nodes
from grader.harness.nodes import (MAX_EXPANDED_VALUES, MAX_SCALAR_CHARS, InvalidTable, TooLargeToCheck,
                                  decode_checked, decode_general)
from grader.sandbox.channel import _progress_step


def outcome(decode, table):
    """(exact type, value) or (exception class, message): what a decoder made of a table."""
    try:
        value = decode(copy.deepcopy(table))
    except (InvalidTable, TooLargeToCheck) as problem:
        return type(problem), str(problem)
    return type(value), _exact(value)


def _exact(value):
    """Members by exact type and repr (True is not 1, 1.0 is not 1, NaN is NaN, a list may hold itself)."""
    if not isinstance(value, (list, tuple, set, frozenset)):
        return repr(value)
    items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
    return [(type(item), repr(item)) for item in items]


def agree(table):
    fast, general = outcome(decode_checked, table), outcome(decode_general, table)
    assert fast == general, table if len(json.dumps(table)) < 2000 else "(a large table)"
    return fast


# -- the codec ------------------------------------------------------------------

scalars = st.one_of(st.integers(), st.floats(), st.text(max_size=5), st.booleans())
flat_values = st.one_of(
    st.lists(scalars, min_size=1, max_size=30),
    st.lists(scalars, min_size=1, max_size=30).map(tuple),
    st.lists(scalars, min_size=1, max_size=30).map(ListSubclass),
    st.frozensets(st.one_of(st.integers(), st.text(max_size=4)), min_size=1, max_size=20),
    st.sets(st.one_of(st.integers(), st.text(max_size=4), st.booleans()), min_size=1, max_size=20),
)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(flat_values)
def test_honest_flat_values_take_the_fast_path_and_decode_as_the_general_path_does(value):
    table = json.loads(json.dumps(encode(value)))
    assert nodes._decode_flat(copy.deepcopy(table)) is not nodes._NOT_FLAT
    assert agree(table)[0] is type(value)


def _forgeries():
    """Flat tables each broken in one way; the general path names the problem (or decodes it)."""
    good = [["L", [1, 2, 3]], ["I", 5], ["S", "a"], ["F", 1.5]]
    cases = {
        "bool as an index": [["L", [True, 2, 3]]] + good[1:],
        "float as an index": [["L", [1.0, 2, 3]]] + good[1:],
        "members out of order": [["L", [2, 1, 3]]] + good[1:],
        "a member left out": [["L", [1, 2]]] + good[1:],
        "a member twice": [["L", [1, 2, 3, 3]]] + good[1:],
        "an index past the end": [["L", [1, 2, 4]]] + good[1:],
        "a negative index": [["L", [-1, 2, 3]]] + good[1:],
        "the container as its own member": [["L", [0, 2, 3]]] + good[1:],
        "an int node holding a string": good[:1] + [["I", "5"]] + good[2:],
        "an int node holding true": good[:1] + [["I", True]] + good[2:],
        "an int node holding a float": good[:1] + [["I", 5.0]] + good[2:],
        "a bool node holding 1": good[:1] + [["B", 1]] + good[2:],
        "a float node holding an int": good[:3] + [["F", 1]],
        "a string node holding a list": good[:2] + [["S", ["a"]]] + good[3:],
        "a leaf without payload": good[:1] + [["I"]] + good[2:],
        "a leaf with two payloads": good[:1] + [["I", 5, 6]] + good[2:],
        "a leaf with an unknown tag": good[:1] + [["Q", 5]] + good[2:],
        "a leaf whose tag is a list": good[:1] + [[["I"], 5]] + good[2:],
        "a leaf whose tag is a number": good[:1] + [[3, 5]] + good[2:],
        "a leaf that is a dict": good[:1] + [{"I": 5}] + good[2:],
        "a leaf that is a string": good[:1] + ["I5"] + good[2:],
        "a leaf that is null": good[:1] + [None] + good[2:],
        "a container among the leaves": good[:1] + [["L", [1]]] + good[2:],
        "a reference to a sandbox object": good[:1] + [["R", "c"]] + good[2:],
        "None among the leaves": good[:1] + [["N"]] + good[2:],
        "bytes among the leaves": good[:1] + [["Y", "00ff"]] + good[2:],
        "a head with three parts": [["L", [1, 2, 3], 0]] + good[1:],
        "a head whose tag is a list": [[["L"], [1, 2, 3]]] + good[1:],
        "a head with an unknown tag": [["Q", [1, 2, 3]]] + good[1:],
        "a dict head": [["D", [1, 2, 3]]] + good[1:],
        "a head whose members are a dict": [["L", {"1": 2}]] + good[1:],
        "a head that is a dict": [{"L": [1, 2, 3]}] + good[1:],
        "a set of a dict key that is not hashable": [["E", [1]], ["L", []]],
        "a text over the cap": [["L", [1]], ["S", "x" * (MAX_SCALAR_CHARS + 1)]],
        "a text at the cap": [["L", [1]], ["S", "x" * MAX_SCALAR_CHARS]],
        "not a list": {"L": [1]},
        "an empty table": [],
        "a lone scalar": [["I", 3]],
        "an empty list": [["L", []]],
    }
    return cases


@pytest.mark.parametrize("table", list(_forgeries().values()), ids=list(_forgeries()))
def test_forged_flat_tables_are_judged_as_the_general_path_judges_them(table):
    agree(table)


def test_the_size_budget_holds_on_the_fast_path():
    at_cap = encode_general(list(range(MAX_EXPANDED_VALUES - 1)))  # the list and its members: 100,000 values
    assert len(agree(at_cap)[1]) == MAX_EXPANDED_VALUES - 1
    over = encode(list(range(MAX_EXPANDED_VALUES)))
    kind, message = agree(over)
    assert kind is TooLargeToCheck and "100,000" in message
    count = nodes.MAX_TABLE_NODES + 5          # more than the agent ever sends: a forged table
    huge = [["L", list(range(1, count))]] + [["I", i] for i in range(1, count)]
    with pytest.raises(TooLargeToCheck):
        decode_checked(huge)


def test_a_large_sorted_list_is_read_on_the_fast_path():
    table = json.loads(json.dumps(encode_general([(i * 7_919) % 100_003 for i in range(25_000)])))
    assert nodes._decode_flat(table) == decode_general(table)


# -- a long list of ints crosses packed: ["LI", [ints]] ----------------------------------

@settings(max_examples=200, derandomize=True, deadline=None)
@given(st.lists(st.integers(), min_size=FLAT_ITEMS + 1, max_size=300))
def test_a_long_list_of_ints_crosses_packed_and_decodes_as_unpacked(value):
    table = json.loads(json.dumps(encode(value)))
    assert len(table) == 1 and table[0][0] == "LI"
    assert outcome(decode_checked, table) == outcome(decode_general, json.loads(json.dumps(encode_general(value))))


def test_the_size_budget_holds_packed_too():
    """The agent packs up to the budget; past it the general walk's table says too large, as before."""
    at_cap = list(range(MAX_EXPANDED_VALUES - 1))
    assert encode(at_cap)[0][0] == "LI" and decode_checked(encode(at_cap)) == at_cap
    assert encode(at_cap + [0])[0][0] == "L"
    with pytest.raises(TooLargeToCheck):
        decode_checked([["LI", at_cap + [0]]])          # forged: the agent sends it unpacked


@pytest.mark.parametrize("table, problem", [
    ([["LI", [1, True, 3]]], InvalidTable),            # True == 1, but not an int of the list
    ([["LI", [1, 2.0]]], InvalidTable),
    ([["LI", [1, "2"]]], InvalidTable),
    ([["LI", [1, [2]]]], InvalidTable),
    ([["LI", [1, None]]], InvalidTable),
    ([["LI", {"1": 2}]], InvalidTable),
    ([["LI", "123"]], InvalidTable),
    ([["LI", [1, 2]], ["I", 3]], InvalidTable),         # packed only as a table's one node
    ([["L", [1]], ["LI", [1, 2]]], InvalidTable),       # never a member
    ([["T", [1]], ["LI", [1, 2]]], InvalidTable),
], ids=["a bool", "a float", "a string", "a list", "null", "a dict payload", "a string payload",
        "beside another node", "a member of a list", "a member of a tuple"])
def test_forged_packed_tables_are_refused(table, problem):
    with pytest.raises(problem):
        decode_checked(copy.deepcopy(table))


def test_lists_that_are_not_exact_ints_are_not_packed():
    class Number(int):
        pass
    for value in ([True] * (FLAT_ITEMS + 1), [1] * FLAT_ITEMS + [Number(2)], [1] * FLAT_ITEMS + [1.0],
                  ListSubclass([1] * (FLAT_ITEMS + 1)), (1,) * (FLAT_ITEMS + 1)):
        table = encode(value)
        assert table[0][0] != "LI"
        assert outcome(decode_checked, json.loads(json.dumps(table)))[0] is type(value)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.lists(st.one_of(st.integers(-3, 3), st.text(max_size=2)), min_size=1, max_size=6), st.data())
def test_randomly_corrupted_flat_tables_agree(values, data):
    table = json.loads(json.dumps(encode(values)))
    where = data.draw(st.integers(0, len(table) - 1))
    part = data.draw(st.integers(0, 2))
    junk = data.draw(st.one_of(st.none(), st.booleans(), st.integers(-2, 8), st.floats(), st.text(max_size=2),
                               st.lists(st.integers(-1, 8), max_size=3), st.just(["I", 1]), st.just("I")))
    node = table[where]
    if part < len(node):
        node[part] = junk
    else:
        node.append(junk)
    agree(table)


# -- progress notes ------------------------------------------------------------

PREFIX = PROGRESS_NOTE % 7


def _as_json(line: bytes):
    """What the general path makes of a line: (step) for a note of request 7, else None."""
    try:
        note = json.loads(line)
    except ValueError:
        return None
    if isinstance(note, dict) and set(note) == {"id", "progress"} and note["id"] == 7 \
            and type(note["progress"]) is int:
        return note["progress"]
    return None


@pytest.mark.parametrize("line, step", [
    (PREFIX + b"0}", 0),
    (PREFIX + b"41}", 41),
    (PREFIX + b"041}", None),               # not JSON: the general path refuses it
    (PREFIX + b"-1}", None),
    (PREFIX + b"1.0}", None),
    (PREFIX + b"true}", None),
    (PREFIX + b"1} ", None),
    (PREFIX + b"1 }", None),
    (PREFIX + b"1}}", None),
    (PREFIX + b"1, \"ok\": true}", None),   # a reply dressed as a note
    (PREFIX + b"9" * 19 + b"}", None),      # longer than any program: the general path reads it
    (PROGRESS_NOTE % 8 + b"1}", None),      # another request's note
    (b'{"id":7,"progress":1}', None),       # valid JSON, not the agent's bytes: the general path reads it
    (b"", None),
])
def test_only_the_agents_exact_note_is_read_as_bytes(line, step):
    assert _progress_step(line, PREFIX) == step
    if step is not None:
        assert _as_json(line) == step


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.binary(max_size=8) | st.text("0123456789-.}e ", max_size=8).map(str.encode))
def test_a_note_read_as_bytes_is_the_note_the_json_parser_reads(tail):
    step = _progress_step(PREFIX + tail, PREFIX)
    if step is not None:
        assert _as_json(PREFIX + tail) == step


# -- generated examples do not depend on which modules are loaded ---------------

LOCAL_CONSTANTS = 987_654_000


def test_hidden_tests_draw_no_constants_from_modules_the_grader_loaded(tmp_path, monkeypatch):
    """Hypothesis mixes constants from the source of loaded local modules into
    what it generates; the runner turns that off, so a --seed gives the same
    examples whatever the grader imported (or a cache file says)."""
    from grader.catalog import Catalog
    from grader.harness.candidate import Candidate
    from grader.harness.runner import run_hidden_tests
    from grader.harness.session import SandboxSession, TimeLimits
    from grader.sandbox.base import SandboxLimits
    from grader.sandbox.fake import FakeBackend

    tests = tmp_path / "hidden"
    tests.mkdir()
    drawn = tmp_path / "drawn.txt"
    (tests / "test_draws.py").write_text(
        "import os\nfrom hypothesis import given, strategies as st\n\n"
        "@given(st.lists(st.integers(), min_size=50, max_size=50))\n"
        "def test_draws(candidate, values):\n"
        f"    with open({str(drawn)!r}, 'a') as out:\n"
        "        out.write(' '.join(map(str, values)) + '\\n')\n")
    library = tmp_path / "library"
    library.mkdir()
    (library / "many_constants.py").write_text(
        "VALUES = [" + ", ".join(str(LOCAL_CONSTANTS + i) for i in range(300)) + "]\n")
    adder = Catalog([__import__("pathlib").Path(__file__).parent / "fixtures" / "challenges"]).get("adder")
    session = SandboxSession(FakeBackend(), {"solution.py": b"def add(a, b):\n    return a + b\n"},
                             SandboxLimits(memory_mb=256, cpu_seconds=10), TimeLimits(5, 60),
                             list(adder.entry_points))

    def run() -> list[str]:
        drawn.unlink(missing_ok=True)
        run_hidden_tests(tests, Candidate(session), seed=3, max_examples=60, shrink=False)
        return drawn.read_text().splitlines()

    before = run()
    monkeypatch.syspath_prepend(str(library))
    import many_constants  # noqa: F401 - a local module full of constants, now in sys.modules
    try:
        after = run()
    finally:
        monkeypatch.delitem(__import__("sys").modules, "many_constants")
    session.close()
    values = {int(v) for line in after for v in line.split()}
    assert not any(LOCAL_CONSTANTS <= v < LOCAL_CONSTANTS + 300 for v in values)
    assert before == after
    assert os.path.getsize(drawn) > 0


# -- pytest loads only the plugins the hidden tests need ----------------------------

def test_the_plugins_hidden_tests_do_not_need_are_not_loaded(tmp_path):
    from grader.harness.candidate import Candidate
    from grader.harness.runner import UNUSED_PYTEST_PLUGINS, run_hidden_tests
    from grader.harness.session import SandboxSession, TimeLimits
    from grader.sandbox.base import SandboxLimits
    from grader.sandbox.fake import FakeBackend

    tests = tmp_path / "hidden"
    tests.mkdir()
    seen = tmp_path / "plugins.txt"
    (tests / "test_plugins.py").write_text(
        "def test_plugins(candidate, request):\n"
        "    names = [name for name, plugin in request.config.pluginmanager.list_name_plugin() if plugin is not None]\n"
        f"    open({str(seen)!r}, 'w').write('\\n'.join(names))\n")
    session = SandboxSession(FakeBackend(), {"solution.py": b"x = 1\n"}, SandboxLimits(memory_mb=256, cpu_seconds=10),
                             TimeLimits(5, 60), [])
    [result] = run_hidden_tests(tests, Candidate(session), seed=0, max_examples=2)
    session.close()
    assert result.status == "pass", result.message
    loaded = set(seen.read_text().split())
    assert "python" in loaded and "hypothesis.extra.pytestplugin" in loaded, loaded
    assert {"logging", "unittest", "subtests", "cacheprovider", "terminal"} <= set(UNUSED_PYTEST_PLUGINS)
    assert not loaded & set(UNUSED_PYTEST_PLUGINS), loaded & set(UNUSED_PYTEST_PLUGINS)


# -- the agent's own codec: small flat values skip the general walk ----------------

from grader.agent.agent import Probe, decode  # noqa: E402
from grader.agent.agent import decode_general as agent_decode_general  # noqa: E402

any_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=4),
              st.sampled_from(["\ud800", "a\udfff"]), st.binary(max_size=3)),
    lambda inner: st.one_of(st.lists(inner, max_size=FLAT_ITEMS + 2), st.tuples(inner, inner),
                            st.frozensets(st.integers(), max_size=3), st.dictionaries(st.text(max_size=2), inner,
                                                                                      max_size=3)),
    max_leaves=80)


def _packed(value) -> bool:
    """A list of more than FLAT_ITEMS exact ints: encode packs it (["LI", [ints]])."""
    return type(value) is list and FLAT_ITEMS < len(value) and {type(item) for item in value} == {int}


@settings(max_examples=400, derandomize=True, deadline=None)
@given(any_values)
def test_encode_makes_the_table_the_general_walk_makes(value):
    if _packed(value):
        assert encode(value) == [["LI", value]]
    else:
        assert encode(value) == encode_general(value)


@settings(max_examples=400, derandomize=True, deadline=None)
@given(any_values)
def test_decode_rebuilds_what_the_general_walk_rebuilds(value):
    table = json.loads(json.dumps(encode(value)))
    fast, general = decode(copy.deepcopy(table)), agent_decode_general(json.loads(json.dumps(encode_general(value))))
    assert type(fast) is type(general)
    assert repr(fast) == repr(general)


@pytest.mark.parametrize("value", [
    [1] * FLAT_ITEMS, [1] * (FLAT_ITEMS + 1), [True] * (FLAT_ITEMS + 1), (1,) * (FLAT_ITEMS + 1),
    [1] * FLAT_ITEMS + [1.0], [], (), [None], [True, 1, 1.0], [[]], ["\ud800"], [b"x"],
    [Probe(3)], ListSubclass([1]), (1, (2,)), "\ud800", -0.0, float("nan"), 10 ** 40,
], ids=repr)
def test_the_edges_of_the_flat_shape(value):
    table = encode(value)
    assert table == ([["LI", list(value)]] if _packed(value) else encode_general(value))
    assert repr(decode(copy.deepcopy(table))) == repr(agent_decode_general(encode_general(value)))
    assert type(decode(copy.deepcopy(table))) is type(value)


def test_the_node_budget_holds_for_small_values():
    from grader.agent.agent import TooLarge
    with pytest.raises(TooLarge):
        encode([1, 2, 3], max_nodes=3)
    assert encode([1, 2], max_nodes=3) == [["L", [1, 2]], ["I", 1], ["I", 2]]


# -- an exception's facts, without reading source lines -------------------------------

def _facts_through_extract_tb(exc, workdir):
    """describe_exception's where and traceback as they were computed before (traceback.extract_tb)."""
    import traceback
    where, frames = None, []
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.startswith(workdir):
            frames.append("  File %r, line %s, in %s" % (os.path.relpath(frame.filename, workdir), frame.lineno,
                                                         frame.name))
            where = {"file": os.path.relpath(frame.filename, workdir), "line": frame.lineno}
    return where, "\n".join(frames[-10:])


def test_an_exceptions_facts_are_the_frames_of_the_submission(tmp_path, monkeypatch):
    import importlib
    from grader.agent.agent import describe_exception
    (tmp_path / "helper.py").write_text("def deep(n):\n    if n == 0:\n        raise KeyError('k')\n    return deep(n - 1)\n")
    (tmp_path / "solution_x.py").write_text("import helper\n\n\ndef run():\n    return helper.deep(12)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    solution = importlib.import_module("solution_x")
    import linecache
    read = []
    monkeypatch.setattr(linecache, "getline", lambda *args, **kwargs: read.append(args) or "")
    monkeypatch.setattr(linecache, "checkcache", lambda *args, **kwargs: read.append(args))
    try:
        solution.run()
    except KeyError as exc:
        facts = describe_exception(exc, str(tmp_path))
        assert read == []          # no source line is read: none is sent
        expected = _facts_through_extract_tb(exc, str(tmp_path))
    finally:
        for name in ("solution_x", "helper"):
            __import__("sys").modules.pop(name, None)
    assert (facts["where"], facts["traceback"]) == expected
    assert facts["where"] == {"file": "helper.py", "line": 3}
    assert facts["traceback"].count("\n") == 9 and "in deep" in facts["traceback"]
    assert facts["mro"][:2] == ["builtins.KeyError", "builtins.LookupError"] and facts["message"] == "'k'"


# -- the bubblewrap probe is waited for without polling -------------------------------

def _spawn(script: str):
    import subprocess
    import sys
    return subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def test_the_probe_is_awaited_by_its_pipe_not_by_sleeping(monkeypatch):
    """Popen.wait(timeout) sleeps in doubling steps (up to 50 ms each): a probe
    ending at 60 ms was seen at up to 120. The pipe's end of file wakes at once."""
    import time as time_module
    from grader.sandbox import bubblewrap
    slept = []
    real_sleep = time_module.sleep
    monkeypatch.setattr(time_module, "sleep", lambda seconds: slept.append(seconds) or real_sleep(seconds))
    process = _spawn("import time; time.sleep(0.06)")
    assert bubblewrap._exit_code(process, timeout=10) == 0
    assert sum(slept) < 0.01, slept
    assert process.stdout.closed


def test_the_probes_exit_code_and_time_limit_hold():
    import subprocess
    from grader.sandbox import bubblewrap
    assert bubblewrap._exit_code(_spawn("print('noise' * 50000); raise SystemExit(3)"), timeout=10) == 3
    hanging = _spawn("import time; time.sleep(30)")
    started = __import__("time").monotonic()
    with pytest.raises(subprocess.TimeoutExpired):
        bubblewrap._exit_code(hanging, timeout=0.3)
    assert __import__("time").monotonic() - started < 5
    bubblewrap._kill_group(hanging)
    assert hanging.returncode is not None


# -- a step's arguments: flat lists and keyword dicts that name bound objects ------------

BOUND = {"c": object(), "clock": [1.5], "other": {"x": 1}}
flat_nodes = st.one_of(st.builds(lambda v: ["I", v], st.integers()), st.builds(lambda v: ["F", v], st.floats()),
                       st.builds(lambda v: ["S", v], st.text(max_size=3)), st.just(["N"]),
                       st.builds(lambda v: ["B", v], st.booleans()),
                       st.builds(lambda name: ["R", name], st.sampled_from(sorted(BOUND))))


@st.composite
def argument_tables(draw):
    """A step's args (a list or tuple of flat nodes) or kwargs (str names to flat nodes), as the host
    encodes them, sometimes with a node the fast path must leave to the general walk."""
    items = draw(st.lists(flat_nodes, max_size=FLAT_ITEMS + 2))
    if draw(st.booleans()):
        return [[draw(st.sampled_from(["L", "T"])), list(range(1, len(items) + 1))]] + items
    names = draw(st.lists(st.text(max_size=3), min_size=len(items), max_size=len(items)))
    nodes = [["D", []]]
    for name, item in zip(names, items):
        nodes[0][1].append([len(nodes), len(nodes) + 1])
        nodes += [["S", name], item]
    if draw(st.booleans()) and len(nodes) > 1:          # a repeated key, a non-string key or a nested value
        nodes[draw(st.integers(1, len(nodes) - 1))] = draw(st.sampled_from([["I", 3], ["L", []], ["S", "k"]]))
    return nodes


@settings(max_examples=400, derandomize=True, deadline=None)
@given(argument_tables())
def test_arguments_that_name_bound_objects_decode_as_the_general_walk_decodes_them(table):
    def outcome(decoder):
        try:
            return "value", decoder(copy.deepcopy(table), {}, BOUND)
        except Exception as exc:  # noqa: BLE001 - the same failure either way
            return "raised", type(exc)
    fast, general = outcome(decode), outcome(agent_decode_general)
    assert fast[0] == general[0] and type(fast[1]) is type(general[1])
    if fast[0] == "value":
        assert repr(fast[1]) == repr(general[1])
        flat = list(fast[1].values()) if isinstance(fast[1], dict) else list(fast[1])
        wanted = list(general[1].values()) if isinstance(general[1], dict) else list(general[1])
        bound = [id(obj) for obj in BOUND.values()]
        assert [id(a) in bound for a in flat] == [id(b) in bound for b in wanted]     # the very objects
