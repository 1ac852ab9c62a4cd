"""The host survives whatever the sandbox sends back (issue 11).

The submission shares the agent's process, so every reply is its claim:
these tests forge replies (a scripted sandbox around the real agent, and
real submissions that patch the agent) and check the host validates,
bounds and survives them: a failed test or an error verdict, never an
exception of the grader, never a hang, never a large report.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from grader.agent.agent import encode
from grader.catalog import Catalog
from grader.constants import MAX_REPORT_BYTES
from grader.grading import GradeOptions, grade
from grader.harness import replies
from grader.harness.nodes import InvalidTable, MAX_VALUE_DEPTH, TooLargeToCheck, decode_checked
from grader.harness.program import Outcome, Returns, Satisfies, same, show
from grader.report.formats import to_csv, to_github, to_jsonl, to_junit
from grader.report.gradescope import to_gradescope
from grader.report.html import to_html
from grader.report.render import to_text
from grader.sandbox.base import Backend, Sandbox, SandboxLimits
from grader.sandbox.fake import FakeSandbox

ROOT = Path(__file__).resolve().parents[1]
CATALOG = Catalog()


# -- the decoder, fuzzed --------------------------------------------------------

TAGS = ["N", "B", "I", "F", "S", "SX", "Y", "P", "PI", "O", "R", "L", "LS", "T", "E", "Z", "D", "X", "", 3]
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 12), st.floats(allow_nan=True),
                         st.text(max_size=6), st.sampled_from(["00", "zz", "0041000000", "d800"]))
json_values = st.recursive(json_scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                                 st.dictionaries(st.text(max_size=4), inner,
                                                                                 max_size=3)),
                           max_leaves=12)
random_nodes = st.lists(st.one_of(
    st.tuples(st.sampled_from(TAGS)).map(list),
    st.tuples(st.sampled_from(TAGS), json_values).map(list),
    st.tuples(st.sampled_from(["L", "T", "E", "Z", "LS"]), st.lists(st.integers(-1, 8), max_size=4)).map(list),
    st.tuples(st.just("D"), st.lists(st.lists(st.integers(0, 8), min_size=2, max_size=2), max_size=3)).map(list),
    json_values), min_size=0, max_size=9)

plain_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=5),
              st.binary(max_size=4)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.tuples(inner, inner),
                            st.frozensets(st.integers(), max_size=3),
                            st.dictionaries(st.text(max_size=3), inner, max_size=3)),
    max_leaves=15)


def _mutate(nodes: list, data) -> list:
    nodes = json.loads(json.dumps(nodes))
    for _ in range(data.draw(st.integers(1, 3))):
        index = data.draw(st.integers(0, len(nodes) - 1))
        choice = data.draw(st.sampled_from(["tag", "payload", "self", "drop", "index"]))
        node = nodes[index]
        if choice == "tag":
            node[0] = data.draw(st.sampled_from(TAGS))
        elif choice == "payload" and len(node) > 1:
            node[1] = data.draw(json_values)
        elif choice == "self":
            node[:] = [data.draw(st.sampled_from(["T", "Z", "L", "E"])), [index, 0]]
        elif choice == "drop":
            del node[1:]
        else:
            node[:] = [node[0], [data.draw(st.integers(-2, len(nodes) + 2))]]
    return nodes


def _decodes_within_bounds(nodes) -> None:
    started = time.monotonic()
    try:
        value = decode_checked(nodes)
    except (InvalidTable, TooLargeToCheck):
        value = None
    else:
        text = show(value)
        assert len(text) <= 1100
        same(value, value)
        Returns([1, (2,)]).problem(Outcome(value=value))
    assert time.monotonic() - started < 2.0


@settings(max_examples=400, derandomize=True, deadline=None)
@given(random_nodes)
def test_random_node_tables_are_refused_or_decoded_never_crash(nodes):
    _decodes_within_bounds(nodes)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(plain_values, st.data())
def test_mutated_honest_tables_are_refused_or_decoded_never_crash(value, data):
    _decodes_within_bounds(_mutate(encode(value), data))


@settings(max_examples=200, derandomize=True, deadline=None)
@given(plain_values)
def test_honest_tables_decode_to_the_same_value(value):
    assert same(decode_checked(encode(value)), value)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(json_values, st.integers(0, 3))
def test_random_run_replies_are_invalid_replies_never_crashes(reply, steps):
    for candidate in (reply, {"ok": True, "results": reply}, {"ok": True, "results": [reply] * steps},
                      {"ok": True, "results": [{"ok": False, "raised": reply}]},
                      {"ok": True, "results": [{"ok": True, "value": reply, "args_after": reply}]}):
        if not isinstance(candidate, dict):
            continue
        started = time.monotonic()
        try:
            outcomes = replies.run_outcomes(candidate, steps if candidate is not reply else 1)
        except replies.InvalidReply:
            continue
        finally:
            assert time.monotonic() - started < 2.0
        for outcome in outcomes:
            assert len(outcome.describe()) < 5000


def test_a_tuple_that_contains_itself_is_refused_at_once():
    """The table [["T", [0]]] made the old decoder loop with memory growing."""
    for table in ([["T", [0]]], [["Z", [1]], ["T", [0]]], [["T", [1]], ["T", [2]], ["Z", [1]]]):
        started = time.monotonic()
        with pytest.raises(InvalidTable, match="contains itself"):
            decode_checked(table)
        assert time.monotonic() - started < 0.5


def test_real_cycles_through_lists_still_decode():
    inner: list = []
    outer = (inner,)
    inner.append((outer,))
    value = decode_checked(encode(outer))
    assert value[0][0][0] is value


def test_values_nested_deeper_than_the_budget_are_too_large_to_check():
    deep: list = []
    for _ in range(MAX_VALUE_DEPTH + 5):
        deep = [deep]
    with pytest.raises(TooLargeToCheck, match="levels deep"):
        decode_checked(encode(deep))
    outcome = replies.step_outcome({"ok": True, "value": encode(deep)})
    assert "too large to check" in outcome.describe()


# -- rendering and judging cyclic and shared values --------------------------------

def test_show_of_a_small_value_with_shared_parts_stays_small():
    """Three nodes, each a list holding the next 25 times: repr would be 25**3 lists."""
    value: object = [1, 2, 3]
    for _ in range(3):
        value = [value] * 25
    table = encode(value)
    assert len(table) <= 8
    text = show(decode_checked(table))
    assert len(text) <= 1100


def test_judging_a_list_that_contains_itself_terminates():
    looped: list = [1]
    looped.append(looped)
    outcome = Outcome(value=looped)
    assert "expected [1, [1]]" in Returns([1, [1]]).problem(outcome)
    assert show(looped) == "[1, [...]]"
    assert Satisfies(lambda v: False, "something").problem(outcome).startswith("returned [1, [...]]")


# -- forged replies through a whole grade ------------------------------------------

FORGED = b"# the candidate: its replies are forged\n"


class ForgingSandbox(FakeSandbox):
    """The real agent in-process, with one kind of reply replaced in the
    candidate's sandbox (the reference's, started for benchmarks, is left alone)."""

    def __init__(self, files, forge):
        super().__init__(files)
        self._forge = forge if files.get("solution.py", b"").startswith(FORGED) else (lambda message, reply: None)

    def request(self, message, timeout):
        reply = super().request(message, timeout)
        forged = self._forge(message, reply)
        return json.loads(json.dumps(forged if forged is not None else reply))


class ForgingBackend(Backend):
    name = "fake"

    def __init__(self, forge):
        self._forge = forge

    def start(self, files, limits: SandboxLimits) -> Sandbox:
        return ForgingSandbox(files, self._forge)

    def protections(self, limits):
        return ["none: test double"]


def _grade_reference(slug: str, forge, tmp_path: Path, **options):
    """Grade a copy of the reference whose sandbox forges replies."""
    challenge = CATALOG.get(slug)
    candidate = tmp_path / "candidate"
    candidate.mkdir()
    (candidate / "solution.py").write_bytes(FORGED + (ROOT / "reference" / slug / "solution.py").read_bytes())
    return grade(candidate, challenge, ForgingBackend(forge), GradeOptions(max_examples=5, **options))


def _all_formats(report) -> dict[str, str]:
    items = [("mallory", report.to_dict())]
    return {"json": json.dumps(report.to_dict()), "text": to_text(report), "jsonl": to_jsonl(items),
            "junit": to_junit(items), "csv": to_csv(items), "github": to_github(items),
            "gradescope": to_gradescope(items), "html": to_html(items)}


def test_an_import_reply_whose_raised_is_a_string_is_an_error_verdict(tmp_path):
    def forge(message, reply):
        if message.get("op") == "import":
            return {"ok": False, "raised": "boom"}
    report = _grade_reference("reverse-string", forge, tmp_path, complexity=False)
    assert report.verdict == "error"
    assert "invalid reply" in report.message


@pytest.mark.parametrize("forged", [
    {"ok": "yes", "results": []},
    {"ok": True, "results": "many"},
    {"ok": True, "results": [{"ok": True}]},
    {"ok": True, "results": [{"ok": False, "raised": {"type": 3, "mro": [], "message": ""}}]},
    {"ok": True, "results": [{"ok": True, "value": [["T", [0]]]}]},
    {"ok": True, "results": [{"ok": True, "value": [["I", "12"]]}]},
])
def test_malformed_run_replies_fail_the_tests_with_a_clear_message(forged, tmp_path):
    def forge(message, reply):
        if message.get("op") == "run":
            results = forged["results"]
            if isinstance(results, list) and results:
                results = results * len(message["steps"])
            return dict(forged, results=results, id=reply.get("id"))
    report = _grade_reference("reverse-string", forge, tmp_path, complexity=False)
    assert report.verdict == "fail"
    failed = [t for t in report.tests if t.status != "pass"]
    assert failed and all("the sandbox sent an invalid reply" in t.message for t in failed)


def test_giant_exception_messages_give_a_small_report_in_every_format(tmp_path):
    """The agent's own cap can be lifted by the submission: 4 MB messages."""
    huge = "x" * 4_000_000

    def forge(message, reply):
        if message.get("op") == "run":
            raised = {"type": "ValueError" * 1000, "mro": ["builtins.ValueError"] * 10_000, "message": huge,
                      "where": {"file": "s" * 100_000, "line": 1}}
            return {"ok": True, "id": reply.get("id"),
                    "results": [{"ok": False, "raised": raised} for _ in message["steps"]]}
    report = _grade_reference("reverse-string", forge, tmp_path, complexity=False)
    assert report.verdict == "fail"
    for name, text in _all_formats(report).items():
        assert len(text.encode()) < MAX_REPORT_BYTES // 2, name


@pytest.mark.parametrize("forged", [{"ok": True, "digest": 5}, {"ok": True, "digest": "0" * 64, "count": "x"},
                                    {"ok": False, "raised": ["no"]}, {"ok": 1}])
def test_malformed_benchmark_replies_fail_the_large_inputs_test(forged, tmp_path):
    def forge(message, reply):
        if message.get("op") == "bench_run":
            return dict(forged, id=reply.get("id"))
    report = _grade_reference("reverse-string", forge, tmp_path)
    large = [t for t in report.tests if t.name == "answers_match_the_reference_on_large_inputs"]
    assert large and large[0].status == "fail"
    assert "invalid reply" in large[0].message
    assert report.verdict == "fail"


# -- real submissions, real sandbox ------------------------------------------------

def _submit(folder: Path, slug: str, *extra: str, timeout: float = 120) -> tuple[int, dict]:
    result = subprocess.run([sys.executable, "-m", "grader", "submit", str(folder), "--challenge", slug,
                             "--sandbox", "process", "--format", "json", *extra],
                            capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    assert result.returncode in (0, 1), result.stderr[-2000:]
    assert len(result.stdout.encode()) < MAX_REPORT_BYTES
    return result.returncode, json.loads(result.stdout)


def _write(tmp_path: Path, source: str) -> Path:
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / "solution.py").write_text(source)
    return folder


def test_a_function_returning_a_list_that_contains_itself_is_judged(tmp_path):
    """Honest agent, plain data: the old expectation check walked it forever."""
    folder = _write(tmp_path, "def flatten(nested):\n    out = [1]\n    out.append(out)\n    return out\n")
    code, report = _submit(folder, "flatten", "--no-complexity", timeout=90)
    assert code == 1 and report["verdict"] == "fail"
    assert any("[...]" in t["message"] for t in report["correctness"]["tests"])


def test_a_patched_encoder_sending_a_self_containing_tuple_is_an_invalid_reply(tmp_path):
    folder = _write(tmp_path, (
        "import __main__\n"
        "__main__.Agent.encode_value = lambda self, key, value: {key: [['T', [0]]]}\n"
        "def reverse_string(s):\n    return s[::-1]\n"))
    code, report = _submit(folder, "reverse-string", "--no-complexity", timeout=90)
    assert code == 1 and report["verdict"] == "fail"
    messages = [t["message"] for t in report["correctness"]["tests"] if t["status"] != "pass"]
    assert messages and all("invalid reply" in m for m in messages)


def test_a_lifted_message_cap_and_shared_values_keep_the_report_small(tmp_path):
    folder = _write(tmp_path, (
        "import __main__\n"
        "__main__.MAX_MESSAGE_CHARS = 10**9\n"
        "def flatten(nested):\n"
        "    if len(nested) % 2:\n"
        "        raise ValueError('y' * 4_000_000)\n"
        "    value = [1, 2, 3]\n"
        "    for _ in range(4):\n"
        "        value = [value] * 40\n"
        "    return value\n"))
    started = time.monotonic()
    code, report = _submit(folder, "flatten", "--no-complexity", timeout=150)
    assert code == 1
    assert len(json.dumps(report).encode()) < MAX_REPORT_BYTES // 4
    assert time.monotonic() - started < 150


@pytest.mark.parametrize("line", [b"[" * 200_000 + b"]" * 200_000, b'{"id": 1, "x": ' + b"9" * 5000 + b"}",
                                  b"\xff\xfe", b"[1, 2]"])
def test_the_channel_refuses_replies_the_json_parser_cannot_or_should_not_take(line):
    """A 200,000-deep JSON array made json.loads raise RecursionError: an internal error."""
    import os

    from grader.sandbox.base import SandboxFailure
    from grader.sandbox.channel import JsonLineChannel
    to_agent_read, to_agent_write = os.pipe()
    from_agent_read, from_agent_write = os.pipe()
    try:
        os.set_blocking(from_agent_write, True)
        channel = JsonLineChannel(to_agent_write, from_agent_read)
        import threading
        writer = threading.Thread(target=os.write, args=(from_agent_write, line + b"\n"))
        writer.start()
        with pytest.raises(SandboxFailure) as failure:
            channel.exchange({"op": "hello"}, timeout=5)
        writer.join()
        assert failure.value.kind == "protocol"
    finally:
        for fd in (to_agent_read, to_agent_write, from_agent_read, from_agent_write):
            os.close(fd)


def test_a_small_table_of_shared_tuples_is_too_large_to_check_not_hashed_forever():
    """41 tuples, each holding the next twice, as a dict key: hashing the
    rebuilt tuple takes 2**40 steps on the host (Python does not cache tuple
    hashes), and the grader hung ignoring SIGTERM."""
    table = [["D", [[1, 42]]]] + [["T", [i + 1, i + 1]] for i in range(1, 41)] + [["T", []], ["S", "x"]]
    started = time.monotonic()
    with pytest.raises(TooLargeToCheck, match="written out"):
        decode_checked(table)
    assert time.monotonic() - started < 0.5


def test_shared_lists_that_repr_would_expand_exponentially_are_too_large_to_check():
    value: list = []
    for _ in range(26):
        value = [value, value]
    outcome = replies.step_outcome({"ok": True, "value": encode(value)})
    assert outcome.value is None and "too large to check" in outcome.describe()


def test_lone_surrogates_in_exception_facts_are_escaped_for_every_output():
    raised = replies.raised({"type": "Odd\ud800", "mro": ["x.Odd\udfff"], "message": "m \ud800",
                             "where": {"file": "s\udc80.py", "line": 3}})
    for text in (str(raised), raised.type_name, raised.message, *raised.mro, raised.where["file"]):
        text.encode("utf-8")    # raises on a lone surrogate


def test_a_submission_raising_a_lone_surrogate_gets_a_report_not_an_internal_error(tmp_path):
    folder = _write(tmp_path, 'raise ValueError("m \\ud800")\n')
    code, report = _submit(folder, "reverse-string", "--no-complexity", timeout=90)
    assert code == 1 and report["verdict"] == "error" and "\\ud800" in report["message"]
    result = subprocess.run([sys.executable, "-m", "grader", "submit", str(folder), "--challenge", "reverse-string",
                             "--sandbox", "process", "--no-complexity"], capture_output=True, text=True,
                            timeout=90, cwd=ROOT)
    assert result.returncode == 1, result.stderr
