"""Source text -> (kind, text, line) lexemes: names, numbers, strings, operators and logical line ends.

``kind`` is "name", "number", "string", "op" or "newline" (the end of a
logical line: tokenize's NEWLINE; blank and comment-only lines make none).
Comments, indentation and line breaks inside brackets are dropped, and an
f-string is one string, as Python 3.11's ``tokenize`` gives it.

Three readers give the same lexemes where each applies:
- ``scan``, a single regular expression over the whole text, for code that
  parses (the caller knows: it has the syntax tree). ``tokenize`` is pure
  Python before 3.12 and was a third of a batch's fingerprinting; a file
  the scan cannot read exactly (a character it does not know) is handed to
  the next reader, and tests/test_similarity_lexer.py checks the two agree
  on every Python file of this repository. Line ends and names are read
  as the parser reads them, where tokenize differs (a bare carriage
  return, a name with a combining mark): a copier's disguise.
- ``tokenize``'s tokens, for code that does not parse, up to the line of
  any error;
- a plain lexer from that line on, so every file yields what it can, in
  time linear in its length, and nothing raises.
"""

from __future__ import annotations

import io
import re
import sys
import token
import tokenize

_DROPPED = {token.COMMENT, token.NL, token.NEWLINE, token.INDENT, token.DEDENT, token.ENDMARKER,
            getattr(token, "ENCODING", -1), getattr(token, "TYPE_COMMENT", -1)}
_FSTRING_START = getattr(token, "FSTRING_START", None)     # Python 3.12: f-strings are token sequences
_FSTRING_END = getattr(token, "FSTRING_END", None)
# From Python 3.12 an f-string may hold its own quotes (PEP 701): f"{"'''"}" opens a triple-quoted
# string to the scan, which would hide every line up to a "# '''" further down. tokenize reads them
# (and is in C there): the scan declines an f-string.
_NESTED_FSTRINGS = sys.version_info >= (3, 12)
_OPENERS = frozenset("([{")
_CLOSERS = frozenset(")]}")

_DIGITS = r"[0-9](?:_?[0-9])*"
_EXPONENT = rf"[eE][-+]?{_DIGITS}"
# tokenize's own grammar, longest alternative first, so a lexeme ends where tokenize ends it ("1if" is 1, if).
# A name is the parser's: any run of ASCII word characters and non-ASCII ones (outside strings and comments,
# code that parses has non-ASCII only in names), where tokenize's \w+ splits "tota\u0301l" at its combining
# mark or drops "\u2118": a copier's renames would change the tokens.
_SCAN = re.compile(rf"""
    (?P<newline>\n)
  | (?P<space>[ \t\f]+|\\\n|\#[^\n]*)
  | (?P<string>(?:[rRbBuUfF]{{1,2}})?(?:'''(?:\\.|[^\\])*?'''|\"\"\"(?:\\.|[^\\])*?\"\"\"
                                    |'(?:\\.|[^\\'\n])*'|"(?:\\.|[^\\"\n])*"))
  | (?P<number>0[xX](?:_?[0-9a-fA-F])+|0[bB](?:_?[01])+|0[oO](?:_?[0-7])+
              |(?:{_DIGITS}(?:\.(?:{_DIGITS})?)?|\.{_DIGITS})(?:{_EXPONENT})?[jJ]?)
  | (?P<name>[\w\x80-\U0010ffff]+)
  | (?P<op>{"|".join(re.escape(item) for item in sorted(token.EXACT_TOKEN_TYPES, key=len, reverse=True))})
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


def scan(text: str) -> list | None:
    """The lexemes of code that parses, by one regular expression; None
    where it cannot be sure to agree with ``tokenize`` (then call ``read``).
    Names are read as the parser reads them, also where tokenize would split one."""
    if "\r" in text:                  # the parser reads "\r\n" and a bare "\r" as "\n" (tokenize does not)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    found: list = []
    line = 1
    depth = 0
    pending = False                     # a lexeme since the last logical line's end
    for match in _SCAN.finditer(text):
        kind = match.lastgroup
        if kind == "newline":
            if pending and depth <= 0:
                found.append(("newline", "", line))
                pending = False
            line += 1
            continue
        string = match.group()
        if kind == "space":
            if string[0] == "\\":
                line += 1
            continue
        if kind == "other":
            return None
        if kind == "op":
            if string in _OPENERS:
                depth += 1
            elif string in _CLOSERS:
                depth -= 1
        found.append((kind, string, line))
        pending = True
        if kind == "string":
            if _NESTED_FSTRINGS and "f" in string[:len(string) - len(string.lstrip("rRbBuUfF"))].lower():
                return None
            line += string.count("\n")
    if pending:
        found.append(("newline", "", line))
    return found


# The fallback lexer: strings (one line), numbers, names, comments, operators.
_LEXEME = re.compile(r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>[rRbBuUfF]{0,2}(?:'''|\"\"\"|'(?:\\.|[^'\\\n])*'?|"(?:\\.|[^"\\\n])*"?))
  | (?P<number>\d[\w.]*|\.\d[\w.]*)
  | (?P<name>[^\W\d]\w*)
  | (?P<op>\*\*=?|//=?|>>=?|<<=?|->|:=|[-+*/%@&|^=!<>]=|[-+*/%@&|^~<>=.,:;()\[\]{}])
  | (?P<space>\s+)
  | (?P<other>.)
""", re.VERBOSE)


def _lex(lines: list, first_line: int):
    """(kind, text, line) of the fallback lexer over ``lines`` (numbered from
    ``first_line``); a triple-quoted string's body is read as code, which is
    the best a broken file allows."""
    for offset, line_text in enumerate(lines):
        for match in _LEXEME.finditer(line_text):
            kind = match.lastgroup
            if kind in ("comment", "space", "other"):
                continue
            yield kind, match.group(), first_line + offset


def read(text: str) -> list:
    """(kind, text, line): ``tokenize``'s tokens up to the line of any error,
    then the fallback lexer's from that line on."""
    found: list = []
    fstring_depth = 0
    error_line = None
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            line = tok.start[0]
            if tok.type == token.ERRORTOKEN:
                continue                # a stray character (``$``, ``?``): skipped, as the lexer skips it
            if _FSTRING_START is not None and tok.type == _FSTRING_START:
                if fstring_depth == 0:
                    found.append(("string", tok.string, line))
                fstring_depth += 1
                continue
            if fstring_depth:
                if tok.type == _FSTRING_END:
                    fstring_depth -= 1
                continue
            if tok.type in _DROPPED:
                if tok.type == token.NEWLINE:
                    found.append(("newline", "", line))
                continue
            kind = {token.NAME: "name", token.NUMBER: "number", token.STRING: "string"}.get(tok.type, "op")
            found.append((kind, tok.string, line))
    except tokenize.TokenError as exc:
        error_line = exc.args[1][0] if len(exc.args) > 1 else 1
    except (SyntaxError, ValueError) as exc:     # IndentationError is a SyntaxError
        error_line = getattr(exc, "lineno", None) or 1
    except (RecursionError, MemoryError):
        error_line = 1
    if error_line is None:
        return found
    error_line = max(1, error_line)
    kept = [item for item in found if item[2] < error_line]
    kept.append(("newline", "", error_line))
    kept.extend(_lex(text.split("\n")[error_line - 1:], error_line))     # numbered as tokenize numbers them
    return kept
