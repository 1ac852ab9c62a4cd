"""Hostile review of the similarity lexer, dead-store dropping and crowded fingerprints (issue 15)."""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path

import pytest

from grader.similarity import compare, fingerprint_files, lexer
from grader.similarity.tokens import API_NAMES, tokens

ROOT = Path(__file__).resolve().parents[1]
SLUGS = ["min-heap", "lru-cache", "quicksort", "trie", "shortest-path"]


def _score(slug: str, left: str, right: str) -> float:
    base = fingerprint_files({"solution.py": (ROOT / "challenges" / slug / "stub" / "solution.py").read_text()})
    result = compare({"a": fingerprint_files({"solution.py": left}, base=base),
                      "b": fingerprint_files({"solution.py": right}, base=base)}, min_score=0)
    return result.pairs[0].score if result.pairs else 0.0


def _texts(code: str) -> list:
    return [item.text for item in tokens(code)]


def _renamed(text: str, rename) -> str:
    """``text`` with every name it defines (not Python's own) renamed by ``rename``."""
    tree = ast.parse(text)
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    names |= {node.arg for node in ast.walk(tree) if isinstance(node, ast.arg)}
    names -= API_NAMES
    out = [(tok.type, rename(tok.string) if tok.type == tokenize.NAME and tok.string in names else tok.string)
           for tok in tokenize.generate_tokens(io.StringIO(text).readline)]
    return tokenize.untokenize(out)


# A combining mark (U+0301), a connector (U+203F) or an Other_ID_Start letter (U+2118) is a valid part of a
# name, but tokenize's \w+ splits the name there (or drops it): "tota\u0301l" was two names, "\u2118" none.
@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("rename", [lambda name: name[0] + "\u0301" + name[1:],
                                    lambda name: name + "\u203fz",
                                    lambda name: "\u2118" + name + "\u2118"])
def test_a_name_with_a_combining_mark_or_connector_is_one_name(slug, rename):
    original = (ROOT / "reference" / slug / "solution.py").read_text()
    copy = _renamed(original, rename)
    ast.parse(copy)
    assert copy != original
    assert _texts(copy) == _texts(original)
    assert _score(slug, original, copy) == 1.0      # before: 0.0 to 0.43 with a combining mark


def test_a_bare_other_id_start_name_is_not_dropped():
    assert _texts("def f(a):\n    \u2118 = a + 1\n    return \u2118\n") == _texts(
        "def f(a):\n    b = a + 1\n    return b\n")


def test_a_builtin_spelt_in_full_width_letters_is_the_builtin():
    # Python reads names in NFKC: "\uff4c\uff45\uff4e" is len, not a name of the file's own.
    assert _texts("def f(a):\n    return \uff4c\uff45\uff4e(a)\n") == _texts("def f(a):\n    return len(a)\n")


def test_line_ends_are_the_parsers_whatever_the_carriage_returns():
    # The parser reads "\r\n" and a bare "\r" as a line end; tokenize splits lines at "\n" only, so a
    # CRLF file went through tokenize (and split names again), and a bare "\r" made one logical line
    # of a whole file, or hid code in a comment: "# note\r    b = a + 1" is code to the parser.
    original = (ROOT / "reference" / "trie" / "solution.py").read_text()
    combining = _renamed(original, lambda name: name[0] + "\u0301" + name[1:])
    for copy in (combining.replace("\n", "\r\n"), original.replace("\n", "\r"), combining.replace("\n", "\r")):
        ast.parse(copy)
        assert _texts(copy) == _texts(original)
        assert _score("trie", original, copy) == 1.0
    hidden = "def f(a):\n    # note\r    b = a + 1\n    return b\n"
    assert len(ast.parse(hidden).body[0].body) == 2
    assert _texts(hidden) == _texts("def f(a):\n    b = a + 1\n    return b\n")
    assert [line for line in (item.line for item in tokens(original.replace("\n", "\r")))] == [
        item.line for item in tokens(original)]


def test_the_side_by_side_marks_the_lines_that_matched_whatever_carriage_returns_the_comments_hold():
    # Tokens number lines as the parser does (a lone "\r" ends one): the page must split them the same way.
    import html
    import re
    from grader.similarity import html as similarity_html
    from tests.test_similarity import ORIGINAL
    disguised = ORIGINAL.replace("\n", "  # a\r  # b\n", 30)
    ast.parse(disguised)
    pair = compare({"a": fingerprint_files({"solution.py": ORIGINAL}),
                    "b": fingerprint_files({"solution.py": disguised})}).pairs[0]
    assert pair.score == 1.0
    shown = similarity_html._code({"solution.py": disguised}, pair.ranges_b)
    marked = {int(number): html.unescape(text) for number, text in
              re.findall(r'<span class="hit"><b>(\d+)</b>(.*?)</span>', shown)}
    lines = disguised.replace("\r", "\n").split("\n")
    assert marked and all(text == lines[number - 1] for number, text in marked.items())
    assert any(text.strip() and not text.lstrip().startswith("#") for text in marked.values())


# -- dead stores (deadcode.py) -----------------------------------------------------------------------------

def _junk_after_every_statement(text: str, junk: str, first: str = "") -> str:
    """``junk`` after each simple statement of every function (``first`` at the top of each body)."""
    lines = text.splitlines(keepends=True)
    spots = set()
    tops = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            tops.add((node.body[0].lineno - 1, node.body[0].col_offset))
            spots.update((item.end_lineno, item.col_offset) for item in ast.walk(node)
                         if isinstance(item, ast.stmt) and not hasattr(item, "body"))
    inserts = [(end, column, junk) for end, column in spots]
    if first:
        inserts += [(line, column, first) for line, column in tops]
    for end, column, text_ in sorted(inserts, reverse=True):
        lines.insert(end, " " * column + text_ + "\n")
    return "".join(lines)


def test_a_case_with_a_dead_store_on_its_line_keeps_its_pattern():
    # "case 1: total = 5" is one logical line and two starts (the pattern, the store), but 'case' is a
    # soft keyword, a V: the whole line, pattern and all, was dropped as a dead store.
    code = "def f(a):\n    match a:\n        case 1: total = 5\n        case _: pass\n    return a\n"
    assert _texts(code) == ["def", "V", "(", "V", ")", ":", "V", "V", ":", "V", "N", ":", "V", "=", "N",
                            "V", "V", ":", "pass", "return", "V"]


def test_a_chain_of_stores_that_ends_in_a_read_is_kept():
    code = "def f(a):\n    x = a + 1\n    y = x * 2\n    z = y\n    return z\n"
    assert _texts(code).count("=") == 3
    looped = "def f(a):\n    i = 0\n    while i < a:\n        i = i + 1\n    return a\n"
    assert _texts(looped).count("=") == 2


def test_an_assignment_to_a_global_in_a_function_is_kept():
    # The module's name: the hidden tests or another module may read it, as a top-level one (kept too).
    code = "def reset():\n    global cache\n    cache = {}\n"
    assert _texts(code).count("=") == 1


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("first, junk", [("_j = 0", "_j = _j + 1"), ("_j = 0", "_k = _j"),
                                         ("_j = _k = 0", "_j, _k = _k, _j"), ("_k = 0", "_j: _k = 1"),
                                         ("", "_j: int")])
def test_junk_that_only_junk_reads_is_dead_too(slug, first, junk):
    original = (ROOT / "reference" / slug / "solution.py").read_text()
    copy = _junk_after_every_statement(original, junk, first)
    assert copy != original
    assert _score(slug, original, copy) == 1.0


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("junk", ["0", "...", "None", "_j", "True"])
def test_a_one_token_statement_after_every_statement_does_not_hide_a_copy(slug, junk):
    # A bare literal, name or ellipsis does nothing (as pass): it scored 0.2 to 0.35 against its original.
    original = (ROOT / "reference" / slug / "solution.py").read_text()
    copy = _junk_after_every_statement(original, junk)
    assert _score(slug, original, copy) == 1.0


@pytest.mark.parametrize("code", ["def f(a):\n    for x in a:\n        break\n    return\n",
                                  "def f(a):\n    while a:\n        continue\n",
                                  "def f(a):\n    try:\n        a()\n    except E:\n        raise\n",
                                  "def f(a):\n    yield\n"])
def test_a_one_token_statement_that_does_something_is_kept(code):
    assert len(_texts(code)) == sum(1 for kind, _, _ in lexer.scan(code) if kind != "newline")


# -- crowded fingerprints (compare.py) ----------------------------------------------------------------------

def _held(held: dict) -> dict:
    from grader.similarity import Fingerprint, Fingerprints
    return {name: Fingerprints(entries=tuple(Fingerprint(value, "solution.py", 20 * number, number + 1, number + 1)
                                             for number, value in enumerate(sorted(values))),
                               tokens={"solution.py": 20 * len(values) + 12}) for name, values in held.items()}


def test_colluders_holding_fragments_cannot_hide_a_copy_pair():
    # "cand-a" and "cand-b" hand in the same 40 fingerprints (score 1.0). Twenty accomplices named before them
    # each hold 18 of the 40 (each fingerprint 9 times over, so 11 holders: crowded) padded with 40 of their
    # own, so no accomplice scores 0.46 with anyone; the pair is found through no rare fingerprint and neither
    # is ever a crowd's first holder: it is not reported, flagged or clustered at all.
    from grader.similarity.compare import CROWD
    solution = set(range(40))
    held = {"cand-a": solution, "cand-b": solution}
    for number in range(2 * CROWD):
        held[f"aaa{number:02}"] = ({item for item in solution if (item + number) % 20 < 9}
                                   | {10**6 + 100 * number + item for item in range(40)})
    for number in range(30):                        # the rest of the batch: so 11 holders are not "common"
        held[f"other{number:02}"] = {10**7 + 100 * number + item for item in range(40)}
    result = compare(_held(held))
    assert [(pair.a, pair.b, pair.score) for pair in result.pairs if pair.a == "cand-a"] == [("cand-a", "cand-b", 1.0)]
    assert ["cand-a", "cand-b"] in result.clusters


def test_the_report_through_crowds_is_the_same_whatever_the_order_of_the_submissions():
    import random
    held = {f"copy{number:02}": set(range(40)) | {number} for number in range(30)}
    held.update({f"aaa{number:02}": {item for item in range(40) if (item + number) % 20 < 9}
                 | {10**6 + 100 * number + item for item in range(40)} for number in range(20)})
    held.update({f"other{number:02}": {10**7 + 100 * number + item for item in range(40)} for number in range(50)})
    prints = _held(held)
    first = compare(prints).to_json()
    for seed in range(3):
        names = list(prints)
        random.Random(seed).shuffle(names)
        assert compare({name: prints[name] for name in names}).to_json() == first
    assert first["clusters"] == [sorted(name for name in held if name.startswith("copy"))]


# -- Python 3.12's f-strings (PEP 701) -----------------------------------------------------------------------

HIDE_312 = "_hide = f\"{\"'''\"}\"\n"       # an f-string holding a string of three quotes: valid from 3.12


def test_from_python_3_12_the_scan_declines_an_f_string(monkeypatch):
    # There f"{"'''"}" is valid: the scan read a triple-quoted string from it to the next "'''" and the whole
    # file between was one S (336 tokens of lru-cache -> 3).
    monkeypatch.setattr(lexer, "_NESTED_FSTRINGS", True)
    assert lexer.scan("x = f'{a}'\n") is None and lexer.scan("x = rF'{a}'\n") is None
    assert lexer.scan("x = 'f' + \"fr\" + b'f'\n") is not None


def _python_3_12():
    """An interpreter of Python 3.12 or later that runs here, or None."""
    import shutil
    import subprocess
    candidates = [shutil.which(name) for name in ("python3.12", "python3.13")]
    candidates += sorted(str(path) for path in Path.home().glob(".pyenv/versions/3.1[2-9]*/bin/python3"))
    for candidate in filter(None, candidates):
        check = subprocess.run([candidate, "-c", "import sys; assert sys.version_info >= (3, 12)"],
                               capture_output=True)
        if check.returncode == 0:
            return candidate
    return None


def test_on_python_3_12_an_f_string_hides_no_code(tmp_path):
    import os
    import subprocess
    python = _python_3_12()
    if python is None:
        pytest.skip("no Python 3.12 here")
    text = (ROOT / "reference" / "lru-cache" / "solution.py").read_text()
    (tmp_path / "copy.py").write_text(HIDE_312 + text + "# '''\n")
    code = ("import sys; from pathlib import Path; from grader.similarity.tokens import tokens; "
            "print(len(tokens(Path(sys.argv[1]).read_text())), len(tokens(Path(sys.argv[2]).read_text())) - 3)")
    run = subprocess.run([python, "-c", code, str(ROOT / "reference" / "lru-cache" / "solution.py"),
                          str(tmp_path / "copy.py")], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, run.stderr
    original, copy = run.stdout.split()
    assert original == copy
