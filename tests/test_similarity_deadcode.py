"""Assignments nothing reads are left out of the fingerprints (grader/similarity/deadcode.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from grader.similarity import compare, fingerprint_files, lexer
from grader.similarity.stored import settings_text
from grader.similarity.tokens import VERSION, tokens

ROOT = Path(__file__).resolve().parents[1]
SLUGS = ["min-heap", "lru-cache", "quicksort", "trie", "shortest-path"]


def _junk_after_every_statement(text: str, junk: str, same_line: bool) -> str:
    """``junk`` after each simple statement of every function: on a line of its own, or after a ``;``."""
    lines = text.splitlines(keepends=True)
    spots = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            spots.update((item.end_lineno, item.col_offset) for item in ast.walk(node)
                         if isinstance(item, ast.stmt) and not hasattr(item, "body"))
    for end, column in sorted(spots, reverse=True):
        if same_line:
            lines[end - 1] = lines[end - 1].rstrip("\n") + f"; {junk}\n"
        else:
            lines.insert(end, " " * column + junk + "\n")
    return "".join(lines)


def _score(slug: str, left: str, right: str) -> float:
    base = fingerprint_files({"solution.py": (ROOT / "challenges" / slug / "stub" / "solution.py").read_text()})
    result = compare({"a": fingerprint_files({"solution.py": left}, base=base),
                      "b": fingerprint_files({"solution.py": right}, base=base)}, min_score=0)
    return result.pairs[0].score if result.pairs else 0.0


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("junk", ["_ = 0", "_ = [1, 2]", "unused = len", "_: int = 1", "_ += 1", "a, *b = 1, 2"])
@pytest.mark.parametrize("same_line", [False, True])
def test_a_dead_assignment_after_every_statement_does_not_hide_a_copy(slug, junk, same_line):
    original = (ROOT / "reference" / slug / "solution.py").read_text()
    copy = _junk_after_every_statement(original, junk, same_line)
    assert copy != original
    assert _score(slug, original, copy) == 1.0      # before deadcode.py: 0.19 to 0.40


def _texts(code: str) -> list:
    return [item.text for item in tokens(code)]


@pytest.mark.parametrize("code", [
    "def f(a):\n    x = a + 1\n    return x\n",              # read afterwards
    "def f(a):\n    _ = g(a)\n    return a\n",               # calls something: work the program does
    "def f(a):\n    _ = await_it = (yield a)\n    return a\n",
    "def f(a):\n    a.x = 1\n    a[0] = 2\n    return a\n",   # an attribute or an item, not a name
    "class C:\n    limit = 10\n",                             # a class attribute
    "LIMIT = 10\n",                                           # a module's name, another module may import it
    "def f(a):\n    x = 1\n    return eval('x')\n",           # read without being named
    "def f(a):\n    x = 1\n    def g():\n        return x\n    return g\n",   # read by a nested function
    "def f(a):\n    x = 1\n    return f'{x}'\n",              # read in an f-string
])
def test_what_may_be_read_or_do_work_is_kept(code):
    assignments = sum(1 for kind, text, _ in lexer.scan(code) if kind == "op" and text == "=")
    assert assignments and _texts(code).count("=") == assignments


def test_only_the_dead_statements_go():
    live = "def f(a):\n    total = a * 2\n    return total\n"
    dead = "def f(a):\n    _ = 0\n    total = a * 2\n    unused = total + 1\n    return total\n"
    assert _texts(dead) == _texts(live)
    semicolons = "def f(a):\n    total = a * 2; _ = 0; unused = 3\n    return total\n"
    assert _texts(semicolons) == _texts(live)


def test_a_one_line_compound_statement_is_left_whole():
    # "if a: _ = 0" is one logical line and two statements: nothing on that line is dropped.
    code = "def f(a):\n    if a: _ = 0\n    else: _ = 1\n    return a\n"
    assert _texts(code) == ["def", "V", "(", "V", ")", ":", "if", "V", ":", "V", "=", "N",
                            "else", ":", "V", "=", "N", "return", "V"]


def test_fingerprints_of_another_normalisation_are_not_reused():
    assert f'"tokens": {VERSION}' in settings_text()
    assert VERSION >= 2
