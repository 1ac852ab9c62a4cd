"""Source text -> a normalised token stream, each token with its line.

What a copier can change without changing the program is dropped or made
uniform: comments, blank lines, indentation and line breaks, docstrings and
other string-only statements, ``pass``, ``print(...)`` and one-token
statements such as ``0`` or ``...`` (dead code a copier can put after
every line), a trailing comma before a closing
bracket, ``;`` between statements, every literal (a number is ``N``, a string ``S``,
an f-string one ``S``) and every name the file defines (functions, classes,
parameters, variables, attributes it assigns, ``as`` aliases: all ``V``).
Keywords, operators and the names of the language's and the standard
library's own functions and methods (``len``, ``sorted``, ``append``,
``popleft``, ``heappush``) are kept as written: a copier cannot rename them
without changing the program, and they are much of what tells two
independent solutions apart. A builtin name the file rebinds (a variable
called ``id``) is a ``V`` like any other name, so renaming it hides nothing.
An assignment nothing reads, inside a function, is dropped too (deadcode.py).

The lexemes come from grader/similarity/lexer.py: code that does not parse
is read by ``tokenize`` up to the error and by a plain regular-expression
lexer from that line on, so every file yields what it can, in time linear
in its length, and nothing raises.
"""

from __future__ import annotations

import ast
import builtins
import collections
import keyword
import re
import typing
import unicodedata
import warnings

from grader.similarity import deadcode, lexer

NAME, NUMBER, STRING = "V", "N", "S"
# Of the normalisation, the batch database keys by it: 2 drops dead stores (deadcode.py), 3 reads names
# (NFKC, a combining mark inside one) and line ends (a bare carriage return) as the parser reads them.
VERSION = 3
_CLOSERS = {")", "]", "}"}


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


class Token(typing.NamedTuple):
    """A normalised token and its line (a tuple: a file has thousands, and a frozen dataclass is slow to make)."""
    text: str
    line: int


def _parse(text: str):
    """The file's syntax tree, or None when it does not parse (without a
    SyntaxWarning on the assessor's terminal for a candidate's ``1if x``)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def defined_names(text: str, tree=None) -> set:
    """The names the file itself binds; from its syntax tree (``tree``, else
    parsed here) when it parses, else from the tokens that can only
    introduce a name (``def``, ``class``, ``as``, a name before ``=``)."""
    if tree is None:
        tree = _parse(text)
    if tree is None:
        return _defined_names_from_text(text)
    return _names_in(tree)[0]


def _names_in(tree) -> tuple:
    """(the names the tree binds, name -> how many times it reads it) in one walk."""
    names: set = set()
    read: dict = {}
    binding = (ast.Store, ast.Del)
    stack = [tree]
    while stack:                        # ast.walk's order does not matter here, and its generators cost half
        node = stack.pop()
        kind = type(node)
        if kind is ast.Name:
            if type(node.ctx) in binding:
                names.add(node.id)
            else:
                read[node.id] = read.get(node.id, 0) + 1
            continue                    # a Name has no children that bind
        if kind in _NAMED:
            names.add(node.name)
        elif kind is ast.arg:
            names.add(node.arg)
        elif kind is ast.Attribute:
            if type(node.ctx) in binding:
                names.add(node.attr)
        elif kind is ast.alias:
            if node.asname:
                names.add(node.asname)
        elif kind is ast.Global or kind is ast.Nonlocal:
            names.update(node.names)
        elif kind is ast.ExceptHandler:
            if node.name:
                names.add(node.name)
        elif kind is ast.keyword:
            if node.arg:
                names.add(node.arg)     # a keyword argument names a parameter the file may define
        for field in node._fields:
            value = getattr(node, field, None)
            if type(value) is list:
                stack.extend(item for item in value if isinstance(item, ast.AST))
            elif isinstance(value, ast.AST):
                stack.append(value)
    names.discard("self")
    names.discard("cls")
    return names, read


_NAMED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_BINDING = re.compile(r"\b(?:def|class|as)\s+([A-Za-z_]\w*)|\b([A-Za-z_]\w*)\s*=(?!=)")


def _defined_names_from_text(text: str) -> set:
    names = set()
    for match in _BINDING.finditer(text):
        names.add(match.group(1) or match.group(2))
    return names


_ONE_TOKEN_WORK = frozenset({"return", "break", "continue", "raise", "yield"})


def _no_op(statement: list) -> bool:
    """A statement a copier can put after every line without changing what
    the program returns: ``pass``, a call of the builtin ``print``, or a
    statement of one token that is not a keyword doing work (``0``, ``...``,
    ``None``, a bare name: as ``pass``, each broke every k-gram across it)."""
    if len(statement) == 1:
        return statement[0].text not in _ONE_TOKEN_WORK
    texts = [item.text for item in statement]
    return len(texts) >= 3 and texts[:2] == ["print", "("] and texts[-1] == ")"


def tokens(text: str) -> list:
    """The file's normalised tokens (see the module's docstring)."""
    if "\r" in text:          # line ends as the parser reads them, whichever reader lexes (html.py shows them so)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    tree = _parse(text)
    if tree is None:
        defined, dead = _defined_names_from_text(text), {}
        lexemes = lexer.read(text)
    else:
        defined, read = _names_in(tree)
        dead = deadcode.dead_stores(tree, read)
        lexemes = lexer.scan(text)
        if lexemes is None:
            lexemes = lexer.read(text)
    statements: list = []               # (tokens, kept?) of each logical line, split at ";" too
    statement: list = []

    def flush():
        if statement:
            kept = not all(item.text == STRING for item in statement) and not _no_op(statement)
            statements.append((list(statement), kept))
        statement.clear()

    for kind, string, line in lexemes:
        if kind == "newline" or string == ";":
            flush()
            continue
        if kind == "name":
            if not string.isascii():
                string = unicodedata.normalize("NFKC", string)     # as Python reads it: "\uff4c\uff4e" is ln
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
    return [item for kept in deadcode.without_dead(statements, dead, NAME) for item in kept]
