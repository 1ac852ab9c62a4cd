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
