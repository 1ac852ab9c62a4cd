"""The similarity lexer's fast scan gives exactly tokenize's lexemes, or declines (grader/similarity/lexer.py)."""

from __future__ import annotations

import ast
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from grader.similarity import lexer
from grader.similarity.tokens import tokens

ROOT = Path(__file__).resolve().parents[1]

TRICKY = [
    "x = 1if y else 2\n",                         # tokenize ends the number before "if"
    "z = a or\"b\"\nw = not'c'\n",                 # a keyword right before a string
    "n = [0x1F, 0b1_0, 0o17, 1_000, 1., .5, 1.5e-3, 2E+10, 3j, 1.5J, 0, 00, 1e5j]\n",
    "s = (r'\\d', b'x', rb'y', Rb'z', f'{a!r:>{w}}', F\"{b}\", u'u', fr'{c}\\n', '', \"\")\n",
    "t = '''one\n'two' \"three\"\n\\'\\n''' + \"\"\"a\n\"\"\"\n",
    "u = 'a\\\nb'\nv = 1\n",                      # a backslash-newline inside a string
    "total = 1 + \\\n    2\nafter = 3\n",          # a continued line is one logical line
    "call(a,\n     b,  # note\n\n     c)\nnext_one = 1\n",
    "def f(a, /, b, *, c) -> int:\n    x = ...\n    x **= 2; x //= 3; x >>= 1; x @= y\n"
    "    if (d := a) is not None:\n        return x != 1 and x <= 2\n",
    "class Ünïcode:\n    ñame = 1\n",
    "x = 1\f\ny = 2\n",
    "a = 1  # no newline at the end",
    "a = 1\n# a comment at the end",
    "\n\n\n",
    "",
    "if x:\n\tpass\nelse:\n\tpass\n",
    "print(f\"{x}\" f'{y}' 'z')\n",
    "lambda: (yield)\n",
    "x = [\n    1,\n    2,\n]\n",
]


@pytest.mark.parametrize("text", TRICKY)
def test_the_scan_agrees_with_tokenize_on_tricky_code(text):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)      # "1if": an invalid decimal literal, still parsed
        ast.parse(text)                                 # the scan is only asked about code that parses
    assert lexer.scan(text) == lexer.read(text)


def test_the_scan_agrees_with_tokenize_on_every_python_file_of_the_repository():
    compared = 0
    for path in sorted(ROOT.glob("**/*.py")):
        if ".venv" in path.parts or ".git" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        try:
            ast.parse(text)
        except SyntaxError:
            continue
        fast = lexer.scan(text)
        if fast is not None:
            assert fast == lexer.read(text), path
            compared += 1
    assert compared > 300


@pytest.mark.parametrize("text", ["x = 1 $ 2\n", "x = `a`\n", "x = 1 ? 2\n"])
def test_the_scan_declines_what_it_cannot_read_exactly(text):
    assert lexer.scan(text) is None


def test_carriage_returns_end_lines_as_the_parser_ends_them():
    text = (ROOT / "reference" / "lru-cache" / "solution.py").read_text()
    assert lexer.scan(text.replace("\n", "\r\n")) == lexer.scan(text) == lexer.scan(text.replace("\n", "\r"))


def test_tokens_are_the_same_whichever_reader_gave_them(monkeypatch):
    text = (ROOT / "reference" / "lru-cache" / "solution.py").read_text()
    fast = [item.text for item in tokens(text)]
    monkeypatch.setattr(lexer, "scan", lambda text: None)      # as for a file the scan declines: tokenize
    assert [item.text for item in tokens(text)] == fast


def test_a_candidates_odd_literal_prints_no_warning():
    # In a process of its own: pytest records warnings instead of printing them.
    code = "from grader.similarity.tokens import tokens; tokens('x = 1if y else 2\\n')"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert run.stderr == ""
