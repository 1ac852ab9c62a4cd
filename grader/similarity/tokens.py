"""Source text -> a normalised token stream, each token with its line.

What a copier can change without changing the program is dropped or made
uniform: comments, blank lines, indentation and line breaks, docstrings and
other string-only statements, ``pass`` and ``print(...)`` statements (dead
code a copier can put after every line), a trailing comma before a closing
bracket, ``;`` between statements, every literal (a number is ``N``, a string ``S``,
an f-string one ``S``) and every name the file defines (functions, classes,
parameters, variables, attributes it assigns, ``as`` aliases: all ``V``).
Keywords, operators and the names of the language's and the standard
library's own functions and methods (``len``, ``sorted``, ``append``,
``popleft``, ``heappush``) are kept as written: a copier cannot rename them
without changing the program, and they are much of what tells two
independent solutions apart. A builtin name the file rebinds (a variable
called ``id``) is a ``V`` like any other name, so renaming it hides nothing.

Code that does not tokenize (a syntax error) is read by ``tokenize`` up to
the error and by a plain regular-expression lexer from that line on: every
file yields what it can, in time linear in its length, and nothing raises.
"""

from __future__ import annotations

import ast
import builtins
import collections
import dataclasses
import io
import keyword
import re
import token
import tokenize

NAME, NUMBER, STRING = "V", "N", "S"
_CLOSERS = {")", "]", "}"}
_DROPPED = {token.COMMENT, token.NL, token.NEWLINE, token.INDENT, token.DEDENT, token.ENDMARKER,
            getattr(token, "ENCODING", -1), getattr(token, "TYPE_COMMENT", -1)}
_FSTRING_START = getattr(token, "FSTRING_START", None)     # Python 3.12: f-strings are token sequences
_FSTRING_END = getattr(token, "FSTRING_END", None)


def _api_names() -> frozenset:
    """Names a program uses but does not define: builtins, the methods of the
    built-in types and of the containers solutions reach for, and the public
    names of the standard modules small solutions import."""
    import asyncio, bisect, functools, heapq, itertools, math, operator, random, threading, time  # noqa: E401
    names = set(dir(builtins)) | set(keyword.kwlist)
    kinds = (list, dict, set, frozenset, str, bytes, bytearray, tuple, int, float, object, type,
             collections.deque, collections.OrderedDict, collections.Counter, collections.defaultdict)
    modules = (asyncio, bisect, collections, functools, heapq, itertools, math, operator, random,
               threading, time)
    for kind in kinds:
        names.update(dir(kind))
    for module in modules:
        names.add(module.__name__)
        names.update(name for name in dir(module) if not name.startswith("_"))
    names.update({"self", "cls"})       # conventional names: the same in every solution, never a disguise
    return frozenset(names)


API_NAMES = _api_names()


@dataclasses.dataclass(frozen=True)
class Token:
    text: str
    line: int


def defined_names(text: str) -> set:
    """The names the file itself binds; from its syntax tree when it parses,
    else from the tokens that can only introduce a name (``def``, ``class``,
    ``as``, a name before ``=``)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return _defined_names_from_text(text)
    names: set = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.attr)
        elif isinstance(node, ast.alias) and node.asname:
            names.add(node.asname)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names.update(node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif isinstance(node, ast.keyword) and node.arg:
            names.add(node.arg)         # a keyword argument names a parameter the file may define
    names.discard("self")
    names.discard("cls")
    return names


_BINDING = re.compile(r"\b(?:def|class|as)\s+([A-Za-z_]\w*)|\b([A-Za-z_]\w*)\s*=(?!=)")


def _defined_names_from_text(text: str) -> set:
    names = set()
    for match in _BINDING.finditer(text):
        names.add(match.group(1) or match.group(2))
    return names


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


def _raw_tokens(text: str) -> list:
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


def _no_op(statement: list) -> bool:
    """A statement a copier can put after every line without changing what
    the program returns: ``pass``, or a call of the builtin ``print``."""
    texts = [item.text for item in statement]
    return texts == ["pass"] or (len(texts) >= 3 and texts[:2] == ["print", "("] and texts[-1] == ")")


def tokens(text: str) -> list:
    """The file's normalised tokens (see the module's docstring)."""
    defined = defined_names(text)
    out: list = []
    statement: list = []                # the current logical line's tokens, to drop string-only statements

    def flush():
        if statement and not all(item.text == STRING for item in statement) and not _no_op(statement):
            out.extend(statement)
        statement.clear()

    for kind, string, line in _raw_tokens(text):
        if kind == "newline" or string == ";":
            flush()
            continue
        if kind == "name":
            if keyword.iskeyword(string):
                text_ = string
            else:
                text_ = string if string in API_NAMES and string not in defined else NAME
        elif kind == "number":
            text_ = NUMBER
        elif kind == "string":
            if statement and statement[-1].text == STRING:
                continue                # implicit concatenation: "a" "b" is one literal
            text_ = STRING
        else:
            text_ = string
            if string in _CLOSERS and statement and statement[-1].text == ",":
                statement.pop()         # a trailing comma: a formatter adds or removes it
        statement.append(Token(text_, line))
    flush()
    return out
