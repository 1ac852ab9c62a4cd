"""Disguised copies of a solution: what a candidate who copied might do to hide it.

Each disguise keeps the program's behaviour (the benchmark's positives must
still be solutions: `benchmarks/similarity/check.py` runs `grader test` on
them) and is deterministic for a given seed:

  rename     every identifier the file defines, renamed consistently (ast-based;
             the challenge's API, builtins, imports and attributes of library
             objects are kept, or the copy would no longer work)
  reformat   indentation, spacing, line breaks inside brackets, quotes, blank
             lines (token-based; the syntax tree is unchanged)
  comments   comments and docstrings removed, others added elsewhere
  reorder    top-level functions and classes, and the methods of each class,
             put in another order that every definition-time dependency allows
  deadcode   an unused flag and helper, and dead statements (prints behind the
             flag, unused assignments, pass) inside function bodies
  loop       one `for` loop turned into a `while` loop
  all        all of the above: reorder, loop, deadcode, comments, rename, reformat

    python benchmarks/similarity/disguise.py SOLUTION [--kind all] [--seed 0] [--stub STUB]

prints the disguised copy. The checks here (the tree is unchanged by rename,
up to the renaming, and by reformat) catch a broken transformation at once;
the rest is left to the hidden tests.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import builtins
import collections
import enum
import io
import keyword
import logging
import random
import re
import sys
import threading
import tokenize

KINDS = ("rename", "reformat", "comments", "reorder", "deadcode", "loop", "all")
SINGLE_KINDS = KINDS[:-1]
ALL_ORDER = ("reorder", "loop", "deadcode", "comments", "rename", "reformat")    # reformat last: it lays out all


class DisguiseError(Exception):
    """A transformation produced something it must not (a bug here, not in the solution)."""


def _rng(seed, kind: str) -> random.Random:
    return random.Random(f"{seed}:{kind}")      # str seeds hash the same in every process


# --------------------------------------------------------------------------- names

_WORDS = ("item", "entry", "node", "data", "elem", "thing", "acc", "buf", "cur", "tmp", "res", "box", "slot",
          "cell", "part", "piece", "unit", "obj", "ref", "link", "pos", "idx", "mark", "flag", "step", "size",
          "count", "total", "store", "table", "pool", "lst", "seq", "arr", "ptr", "hold", "bag", "chunk", "block",
          "value", "key", "left", "right", "head", "tail", "first", "last", "prev", "nxt", "top", "low", "high",
          "mid", "num", "amount", "state", "mode", "kind", "label", "tag", "info", "meta", "spot", "place", "row",
          "col", "path", "way", "walk", "run", "go", "fetch", "make", "build", "handle", "work", "job", "task",
          "helper", "util", "core", "main", "base", "inner", "outer", "tracker", "holder", "keeper", "manager",
          "engine", "runner", "worker", "maker", "finder", "checker", "record", "memo", "log", "note", "temp",
          "alpha", "beta", "gamma", "delta", "omega", "foo", "bar", "baz", "qux", "zed", "my", "the", "a", "x",
          "y", "z", "p", "q", "r", "s", "t", "u", "w")
# Names a copy must not take: the challenges' rules look for these (list.sort, queue, deque, ...).
_AVOID = {"sort", "sorted", "pop", "insert", "queue", "deque", "heapq", "bisect", "cache", "lru_cache", "dict",
          "set", "frozenset", "vars", "setattr", "getattr", "OrderedDict", "collections", "settrace", "ctypes"}


def _fresh_namer(rng: random.Random, taken: set):
    style = rng.choice(("snake", "camel", "short", "suffix"))

    def fresh(old: str, is_class: bool) -> str:
        prefix = "__" if old.startswith("__") else ("_" if old.startswith("_") else "")
        for attempt in range(1000):
            words = [rng.choice(_WORDS) for _ in range(rng.choice((1, 2, 2, 3)))]
            if is_class or (style == "camel" and attempt % 2 == 0):
                name = "".join(word.capitalize() for word in words)
            elif style == "short":
                name = words[0] + (str(rng.randrange(10)) if rng.random() < 0.5 else "")
            elif style == "suffix":
                name = "_".join(words) + "_" + str(rng.randrange(100))
            else:
                name = "_".join(words)
            name = prefix + name
            if (name.isidentifier() and not keyword.iskeyword(name) and name not in taken
                    and name not in _AVOID and not hasattr(builtins, name)):
                taken.add(name)
                return name
        raise DisguiseError(f"no fresh name for {old!r}")

    return fresh


def _library_attributes() -> set:
    """Attribute names of the objects a solution gets from Python itself: renaming `.pop` breaks a list."""
    objects = [list, dict, set, frozenset, str, bytes, tuple, int, float, bool, object, type, complex, range,
               collections.deque, collections.Counter, collections.defaultdict, io.StringIO, random.Random,
               threading.Lock(), threading.RLock(), threading.Condition(), threading.Semaphore(),
               threading.Event(), threading.Thread, asyncio.Future, asyncio.Task, asyncio.Event,
               asyncio.Semaphore, asyncio.Queue, asyncio.AbstractEventLoop, logging.Logger, enum.Enum,
               BaseException, iter([]), (lambda: None), staticmethod, classmethod, property]
    names = {"name", "value", "setter", "getter", "deleter"}
    for item in objects:
        names.update(name for name in dir(item) if not name.startswith("_"))
    return names


_LIBRARY_ATTRIBUTES = _library_attributes()


def identifiers(source: str) -> set:
    """Every identifier in ``source`` (names, arguments, definitions, attributes)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.arg):
            found.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.add(node.name)
        elif isinstance(node, ast.Attribute):
            found.add(node.attr)
        elif isinstance(node, ast.keyword) and node.arg:
            found.add(node.arg)
        elif isinstance(node, ast.alias):
            found.add((node.asname or node.name).split(".")[0])
    return found


def _walk_parents(tree):
    for parent in ast.walk(tree):
        for child in ast.iter_child_nodes(parent):
            child._parent = parent          # noqa: SLF001 - a benchmark helper's own annotation
    return tree


def _is_dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__")


def _slot_constants(tree):
    """The string constants of every class-level ``__slots__ = (...)``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for statement in node.body:
                if (isinstance(statement, ast.Assign) and any(isinstance(target, ast.Name)
                                                              and target.id == "__slots__"
                                                              for target in statement.targets)):
                    for constant in ast.walk(statement.value):
                        if isinstance(constant, ast.Constant) and isinstance(constant.value, str):
                            yield constant


def _rename_plan(tree, keep: set) -> set:
    """The identifiers that can be renamed: bound here, and safe in every role they appear in."""
    bound, attr_defined, imported, protected = set(), set(), set(), set(keep) | {"self", "cls"}
    local_callables = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
            local_callables.add(node.name)
            if isinstance(getattr(node, "_parent", None), ast.ClassDef):
                attr_defined.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            bound.add(node.id)
            if isinstance(getattr(node, "_parent", None), (ast.Assign, ast.AnnAssign, ast.AugAssign)) and \
                    isinstance(getattr(node._parent, "_parent", None), ast.ClassDef):
                attr_defined.add(node.id)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
        elif isinstance(node, ast.alias):
            imported.add((node.asname or node.name).split(".")[0])
        elif (isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store)
              and isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
            attr_defined.add(node.attr)
    for constant in _slot_constants(tree):
        attr_defined.add(constant.value)
    protected |= imported
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            root = node.value
            while isinstance(root, (ast.Attribute, ast.Call, ast.Subscript)):
                root = root.func if isinstance(root, ast.Call) else root.value
            if node.attr not in attr_defined or node.attr in _LIBRARY_ATTRIBUTES or \
                    (isinstance(root, ast.Name) and root.id in imported):
                protected.add(node.attr)
        elif isinstance(node, ast.Name) and node.id not in bound:
            protected.add(node.id)
        elif isinstance(node, ast.Call):
            callee = node.func
            name = callee.id if isinstance(callee, ast.Name) else (
                callee.attr if isinstance(callee, ast.Attribute) else None)
            if name not in local_callables:
                protected.update(item.arg for item in node.keywords if item.arg)
    for name in attr_defined:
        if name in _LIBRARY_ATTRIBUTES:
            protected.add(name)
    candidates = (bound | attr_defined) - protected
    return {name for name in candidates if not _is_dunder(name) and not hasattr(builtins, name)}


class _Renamer(ast.NodeTransformer):
    """The renaming applied to a tree: what the renamed text must parse back to."""

    def __init__(self, mapping, slot_ids):
        self.mapping = mapping
        self.slot_ids = slot_ids

    def _new(self, name):
        return self.mapping.get(name, name)

    def generic_visit(self, node):
        for field in ("id", "arg", "name", "attr"):
            value = getattr(node, field, None)
            if isinstance(value, str) and not isinstance(node, ast.alias):
                setattr(node, field, self._new(value))
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            node.names = [self._new(name) for name in node.names]
        if isinstance(node, ast.Constant) and id(node) in self.slot_ids:
            node.value = self._new(node.value)
        return super().generic_visit(node)


class _Source:
    """A source text addressed as ast addresses it: (line, UTF-8 byte column)."""

    def __init__(self, text: str):
        self.text = text
        self.data = text.encode("utf-8")
        self.starts = [0]
        for line in self.data.splitlines(keepends=True):
            self.starts.append(self.starts[-1] + len(line))

    def offset(self, line: int, column: int) -> int:
        return self.starts[line - 1] + column

    def line_bytes(self, line: int) -> bytes:
        return self.data[self.starts[line - 1]:self.starts[line]]


def rename(source: str, rng: random.Random, keep: set) -> str:
    tree = _walk_parents(ast.parse(source))
    names = sorted(_rename_plan(tree, keep))
    if not names:
        return source
    fresh = _fresh_namer(rng, identifiers(source) | set(dir(builtins)) | set(keep))
    classes = {node.name for node in ast.walk(tree) if isinstance(node, ast.ClassDef)}
    mapping = {name: fresh(name, name in classes) for name in names}
    text = _Source(source)
    edits = []      # (start, end, new bytes)
    inside_fstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            inner = list(ast.walk(node))
            if any(getattr(item, "id", None) in mapping or getattr(item, "attr", None) in mapping for item in inner):
                replaced = _Renamer(mapping, set()).visit(ast.parse(ast.unparse(node), mode="eval")).body
                edits.append((text.offset(node.lineno, node.col_offset), text.offset(node.end_lineno,
                              node.end_col_offset), ast.unparse(replaced).encode("utf-8")))
            inside_fstrings.update(id(item) for item in inner)
    for constant in _slot_constants(tree):
        if constant.value in mapping:
            edits.append((text.offset(constant.lineno, constant.col_offset),
                          text.offset(constant.end_lineno, constant.end_col_offset),
                          repr(mapping[constant.value]).encode("utf-8")))

    def at(line, column, old):
        start = text.offset(line, column)
        if text.data[start:start + len(old.encode())] != old.encode():
            raise DisguiseError(f"rename: {old!r} not found at line {line}, column {column}")
        edits.append((start, start + len(old.encode()), mapping[old].encode("utf-8")))

    def search(line, column, pattern, old):
        raw = text.line_bytes(line)
        found = re.compile(pattern.encode()).search(raw, column)
        if not found:
            raise DisguiseError(f"rename: {old!r} not found on line {line}")
        at(line, found.start(1), old)

    for node in ast.walk(tree):
        if id(node) in inside_fstrings:
            continue
        if isinstance(node, ast.Name) and node.id in mapping:
            at(node.lineno, node.col_offset, node.id)
        elif isinstance(node, ast.arg) and node.arg in mapping:
            at(node.lineno, node.col_offset, node.arg)
        elif isinstance(node, ast.Attribute) and node.attr in mapping:
            at(node.end_lineno, node.end_col_offset - len(node.attr.encode()), node.attr)
        elif isinstance(node, ast.keyword) and node.arg in mapping:
            at(node.lineno, node.col_offset, node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in mapping:
            search(node.lineno, node.col_offset, r"def\s+(" + re.escape(node.name) + r")\b", node.name)
        elif isinstance(node, ast.ClassDef) and node.name in mapping:
            search(node.lineno, node.col_offset, r"class\s+(" + re.escape(node.name) + r")\b", node.name)
        elif isinstance(node, ast.ExceptHandler) and node.name in mapping:
            search(node.lineno, node.col_offset, r"\bas\s+(" + re.escape(node.name) + r")\b", node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            for name in node.names:
                if name in mapping:
                    search(node.lineno, node.col_offset, r"\b(" + re.escape(name) + r")\b", name)
    edits.sort()
    for (_, end, _), (start, _, _) in zip(edits, edits[1:]):
        if start < end:
            raise DisguiseError("rename: overlapping edits")
    data = text.data
    for start, end, new in reversed(edits):
        data = data[:start] + new + data[end:]
    result = data.decode("utf-8")
    again = ast.parse(source)
    expected = ast.dump(_Renamer(mapping, {id(item) for item in _slot_constants(again)}).visit(again))
    if ast.dump(ast.parse(result)) != expected:
        raise DisguiseError("rename: the renamed text does not parse to the renamed tree")
    return result


# --------------------------------------------------------------------------- reformat

_BINARY = {"=", "==", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "//", "%", "**", "+=", "-=", "*=", "/=",
           "//=", "%=", "**=", "&", "|", "^", "<<", ">>", "&=", "|=", "^=", ">>=", "<<=", "->", ":=", "@="}
_WORDLIKE = (tokenize.NAME, tokenize.NUMBER, tokenize.STRING)


def _flip_quotes(text: str) -> str:
    """'x' <-> "x" for a plain one-line string whose body has neither quote nor backslash."""
    match = re.fullmatch(r"([rRbBuUfF]{0,2})(['\"])(.*)\2", text, re.S)
    if not match or text.endswith(("'''", '"""')) or len(text) - len(match.group(1)) < 2:
        return text
    prefix, quote, body = match.groups()
    if "'" in body or '"' in body or "\\" in body or "\n" in body or quote * 3 in text:
        return text
    other = '"' if quote == "'" else "'"
    return prefix + other + body + other


def reformat(source: str, rng: random.Random) -> str:
    """Re-lay every line from its tokens, in a style drawn from ``rng``; comments are kept."""
    unit = rng.choice(("  ", "\t", "   ", "        ", "  "))
    spacing = rng.choice(("tight", "wide", "random"))
    inner_space = rng.random() < 0.3             # ( x, y ) rather than (x, y)
    break_chance = rng.choice((0.0, 0.3, 0.6))   # a line break after a comma inside brackets
    quotes = rng.choice(("flip", "keep", "random"))
    blanks = rng.choice(("drop", "keep", "double", "random"))
    out, line, level, depth = [], [], 0, 0
    previous = None             # the previous token on this output line
    pending_blank = 0

    def flush():
        nonlocal line, previous
        out.append("".join(line).rstrip() + "\n")
        line, previous = [], None

    def start_line():
        for _ in range(pending_blank_lines()):
            out.append("\n")
        line.append(unit * level)

    def pending_blank_lines():
        nonlocal pending_blank
        count, pending_blank = pending_blank, 0
        if blanks == "drop":
            return 0
        if blanks == "double":
            return count * 2
        if blanks == "random":
            return rng.choice((0, count, count + 1))
        return count

    def styled() -> bool:
        if spacing == "random":
            return rng.random() < 0.5
        return spacing == "wide"

    def emit(token_type, text):
        nonlocal previous
        if not line:
            start_line()
        elif previous is not None:
            ptype, ptext = previous
            if ptype in _WORDLIKE and token_type in _WORDLIKE:
                space = True            # required: `return x`, `1 if`
            elif ptype == tokenize.NUMBER and text == ".":
                space = True            # `1 .real`, not `1.real`
            elif ptext in (",", ":") or text in _BINARY or ptext in _BINARY:
                space = styled()
            elif ptext in ("(", "[", "{") and text not in (")", "]", "}"):
                space = inner_space
            elif text in (")", "]", "}") and ptext not in ("(", "[", "{"):
                space = inner_space
            else:
                space = False
            if space:
                line.append(" ")
        line.append(text)
        previous = (token_type, text)

    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    for index, token in enumerate(tokens):
        kind, text = token.type, token.string
        if kind in (tokenize.ENCODING, tokenize.ENDMARKER):
            continue
        if kind == tokenize.INDENT:
            level += 1
        elif kind == tokenize.DEDENT:
            level -= 1
        elif kind == tokenize.NEWLINE:
            flush()
        elif kind == tokenize.NL:
            if depth:
                continue
            if line:
                flush()                 # a line holding only a comment
            else:
                pending_blank += 1
        elif kind == tokenize.COMMENT:
            if not line:
                start_line()
            else:
                line.append("  ")
            line.append(text)
            previous = (kind, text)
            if depth:                   # a comment inside brackets ends its physical line
                flush()
                line.append(unit * (level + 2))
        else:
            if kind == tokenize.STRING and (quotes == "flip" or quotes == "random" and rng.random() < 0.5):
                text = _flip_quotes(text)
            emit(kind, text)
            if kind == tokenize.OP and text in "([{":
                depth += 1
            elif kind == tokenize.OP and text in ")]}":
                depth -= 1
            elif (kind == tokenize.OP and text == "," and depth and rng.random() < break_chance
                  and tokens[index + 1].string not in ")]}"):
                flush()
                line.append(unit * (level + 2))
    if line:
        flush()
    result = "".join(out)
    if ast.dump(ast.parse(result)) != ast.dump(ast.parse(source)):
        raise DisguiseError("reformat changed the syntax tree")
    return result


# --------------------------------------------------------------------------- comments

_COMMENTS = ("# go through the items", "# edge case", "# main loop", "# update the state", "# check the input",
             "# TODO: tidy this up", "# keep track of where we are", "# done", "# the result",
             "# handle the simple case first", "# this is O(1)", "# move on", "# make sure it is valid",
             "# helper", "# store it", "# nothing to do here", "# see the README", "# fast path")
_DOCSTRINGS = ('"""Helper."""', '"""Do the work."""', '"""Return the result."""', "'''Internal.'''",
               '"""See the challenge description."""', '"""Small helper used below."""')


def _docstring_nodes(tree):
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and \
                    isinstance(first.value.value, str):
                yield node, first


def _leading(line: str) -> str:
    return line[:len(line) - len(line.lstrip())]


def strip_comments(source: str) -> str:
    """Without comments and docstrings (a body left empty gets ``pass``)."""
    lines = source.splitlines(keepends=True)
    for token in reversed(list(tokenize.generate_tokens(io.StringIO(source).readline))):
        if token.type == tokenize.COMMENT:
            row, column = token.start
            rest = lines[row - 1][:column].rstrip()
            lines[row - 1] = (rest + "\n") if rest else ""
    source = "".join(lines)
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    removals = []
    for owner, doc in _docstring_nodes(tree):
        first_line = lines[doc.lineno - 1]
        if first_line[:doc.col_offset].strip() or lines[doc.end_lineno - 1][doc.end_col_offset:].strip():
            continue                    # shares a line with other code: leave it
        replacement = [first_line[:doc.col_offset] + "pass\n"] if len(owner.body) == 1 else []
        removals.append((doc.lineno, doc.end_lineno, replacement))
    for first, last, replacement in sorted(removals, reverse=True):
        lines[first - 1:last] = replacement
    return "".join(lines)


def add_comments(source: str, rng: random.Random) -> str:
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    inserts = []                        # (before line, text)
    has_doc = {id(owner) for owner, _ in _docstring_nodes(tree)}
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if not isinstance(body, list) or not body:
            continue
        for statement in body:
            line = lines[statement.lineno - 1]
            if statement.col_offset != len(_leading(line).encode()) or getattr(statement, "decorator_list", None):
                continue
            if rng.random() < 0.25:
                inserts.append((statement.lineno, _leading(line) + rng.choice(_COMMENTS) + "\n"))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and id(node) not in has_doc:
            first = body[0]
            line = lines[first.lineno - 1]
            if first.lineno > node.lineno and first.col_offset == len(_leading(line).encode()) and \
                    not getattr(first, "decorator_list", None) and rng.random() < 0.6:
                inserts.append((first.lineno, _leading(line) + rng.choice(_DOCSTRINGS) + "\n"))
    for before, text in sorted(inserts, key=lambda item: item[0], reverse=True):
        lines.insert(before - 1, text)
    return "".join(lines)


def recomment(source: str, rng: random.Random) -> str:
    return add_comments(strip_comments(source), rng)


# --------------------------------------------------------------------------- reorder

def _loads(node) -> set:
    return {item.id for item in ast.walk(node) if isinstance(item, ast.Name)}


def _definition_time_loads(statement) -> set:
    """Names a statement reads while it runs (a def's body runs later; a class's body runs now)."""
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
        parts = statement.decorator_list + statement.args.defaults + [d for d in statement.args.kw_defaults if d]
        parts += [a.annotation for a in statement.args.args + statement.args.kwonlyargs + statement.args.posonlyargs
                  if a.annotation]
        parts += [statement.returns] if statement.returns else []
        return set().union(*(_loads(part) for part in parts)) if parts else set()
    if isinstance(statement, ast.ClassDef):
        found = set()
        for part in statement.bases + [k.value for k in statement.keywords] + statement.decorator_list:
            found |= _loads(part)
        for inner in statement.body:
            found |= _definition_time_loads(inner)
        return found
    return _loads(statement)


def _binds(statement) -> set:
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {statement.name}
    found = set()
    for node in ast.walk(statement):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            found.add(node.id)
        elif isinstance(node, ast.alias):
            found.add((node.asname or node.name).split(".")[0])
    return found


def _is_definition(statement) -> bool:
    return isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))


def _order(body: list, rng: random.Random) -> list:
    """A random order of ``body``'s indexes that keeps every dependency (and the non-definitions' order)."""
    bodies = {s.name: s for s in body if _is_definition(s)}
    needs = []
    for statement in body:
        reads = _definition_time_loads(statement)
        todo = list(reads)
        while todo:                     # calling a function (or a class) at definition time runs its body
            name = todo.pop()
            if name in bodies:
                for extra in _loads(bodies[name]) - reads:
                    reads.add(extra)
                    todo.append(extra)
        needs.append(reads)
    binds = [_binds(statement) for statement in body]
    fixed = 0
    while fixed < len(body) and not _is_definition(body[fixed]):
        fixed += 1                      # a docstring, imports and constants before the first def stay put
    after = collections.defaultdict(set)
    for later in range(len(body)):
        for earlier in range(later):
            if (earlier < fixed or binds[earlier] & needs[later] or binds[later] & needs[earlier]
                    or binds[earlier] & binds[later]
                    or not _is_definition(body[earlier]) and not _is_definition(body[later])):
                after[later].add(earlier)
    placed, order = set(), []
    while len(order) < len(body):
        ready = [i for i in range(len(body)) if i not in placed and after[i] <= placed]
        choice = ready[0] if ready[0] < fixed else rng.choice(ready)
        placed.add(choice)
        order.append(choice)
    return order


def _reorder_body(body: list, lines: list, region_start: int, rng: random.Random) -> list:
    """The lines from ``region_start`` to the end of ``body``'s last statement, rearranged."""
    for earlier, later in zip(body, body[1:]):
        if _start_line(later) <= earlier.end_lineno:
            return lines[region_start - 1:body[-1].end_lineno]   # two statements share a line: leave it
    segments = []
    start = region_start
    for statement in body:
        if isinstance(statement, ast.ClassDef) and statement.body:
            header = lines[start - 1:_segment_start(statement.body, 0, statement) - 1]
            inner = _reorder_body(statement.body, lines, _segment_start(statement.body, 0, statement), rng)
            segment = header + inner
        else:
            segment = lines[start - 1:statement.end_lineno]
        segments.append(segment)
        start = statement.end_lineno + 1
    best = list(range(len(body)))
    for _ in range(8):                  # prefer an order that differs from the original
        best = _order(body, rng)
        if best != sorted(best):
            break
    result = []
    for index in best:
        segment = segments[index]
        if segment and not segment[-1].endswith("\n"):
            segment = segment[:-1] + [segment[-1] + "\n"]
        result.extend(segment)
    return result


def _start_line(statement) -> int:
    decorators = getattr(statement, "decorator_list", None) or []
    return min([statement.lineno] + [item.lineno for item in decorators])


def _segment_start(body, index, owner) -> int:
    """Where the first statement of a class body begins (after the header line(s))."""
    statement = body[index]
    return _start_line(statement) if _start_line(statement) > owner.lineno else owner.lineno + 1


def reorder(source: str, rng: random.Random) -> str:
    tree = ast.parse(source)
    if not tree.body:
        return source
    lines = source.splitlines(keepends=True)
    middle = _reorder_body(tree.body, lines, 1, rng)
    result = "".join(middle + lines[tree.body[-1].end_lineno:])
    ast.parse(result)
    return result


# --------------------------------------------------------------------------- dead code

def _function_bodies(tree):
    """Every statement list that runs inside a function (its body and nested blocks' bodies)."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                if isinstance(inner, (ast.ClassDef,)) and inner is not node:
                    continue
                for field in ("body", "handlers"):
                    items = getattr(inner, field, None)
                    if isinstance(items, list) and items and isinstance(items[0], ast.stmt):
                        yield node, inner, items
                for handler in getattr(inner, "handlers", []) or []:
                    yield node, handler, handler.body


def insert_dead_code(source: str, rng: random.Random) -> str:
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    fresh = _fresh_namer(rng, identifiers(source) | set(dir(builtins)))
    flag = fresh("_debug", False).upper()
    helper = fresh("_trace", False)
    junk = [fresh("_unused", False) for _ in range(3)]
    docs = {id(doc) for _, doc in _docstring_nodes(tree)}
    unit = next((token.string for token in tokenize.generate_tokens(io.StringIO(source).readline)
                 if token.type == tokenize.INDENT), "    ")
    spots = []
    for function, _, body in _function_bodies(tree):
        for statement in body:
            if id(statement) in docs or getattr(statement, "decorator_list", None):
                continue
            line = lines[statement.lineno - 1]
            if statement.col_offset != len(_leading(line).encode()) or line.lstrip().startswith("elif"):
                continue
            spots.append((statement.lineno, _leading(line), function.name))
    unique = sorted(set(spots))
    chosen = rng.sample(unique, min(len(unique), rng.randint(2, 4))) if unique else []
    inserts = []
    for number, (lineno, indent, name) in enumerate(chosen):
        variant = (number + rng.randrange(4)) % 4
        if variant == 0:
            text = f"{indent}if {flag}:\n{indent}{unit}print({name!r}, 'called')\n"
        elif variant == 1:
            text = f"{indent}{rng.choice(junk)} = {rng.choice(('0', 'None', '[]', 'len(()) * 2', '-1'))}\n"
        elif variant == 2:
            text = f"{indent}pass\n"
        else:
            text = f"{indent}if False:\n{indent}{unit}{rng.choice(junk)} = {name!r}\n"
        inserts.append((lineno, text))
    top = ast.parse(source).body
    position = 0
    while position < len(top) and not _is_definition(top[position]):
        position += 1                   # after the docstring, imports and constants
    line_after = top[position - 1].end_lineno + 1 if position else 1
    preamble = f"\n{flag} = False\n\n\ndef {helper}(*values):\n{unit}if {flag}:\n{unit}{unit}print(*values)\n\n"
    inserts.append((line_after, preamble))
    for before, text in sorted(inserts, key=lambda item: item[0], reverse=True):
        lines.insert(before - 1, text)
    result = "".join(lines)
    ast.parse(result)
    return result


# --------------------------------------------------------------------------- for -> while

def _has_continue(statements) -> bool:
    todo = list(statements)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Continue):
            return True
        if isinstance(node, (ast.For, ast.AsyncFor, ast.While, ast.FunctionDef, ast.AsyncFunctionDef,
                             ast.ClassDef, ast.Lambda)):
            continue
        todo.extend(ast.iter_child_nodes(node))
    return False


def _scope_of(tree, loop):
    best = tree
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and loop in ast.walk(node):
            best = node
    return best


def for_to_while(source: str, rng: random.Random) -> str:
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    loops = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.For) or node.orelse:
            continue
        header = lines[node.lineno - 1]
        if node.col_offset != len(_leading(header).encode()) or node.body[0].lineno <= node.iter.end_lineno:
            continue
        body_line = lines[node.body[0].lineno - 1]
        if node.body[0].col_offset != len(_leading(body_line).encode()):
            continue
        loops.append(node)
    if not loops:
        return source
    loop = rng.choice(loops)
    indent = _leading(lines[loop.lineno - 1])
    inner = _leading(lines[loop.body[0].lineno - 1])
    unit = inner[len(indent):] or "    "
    fresh = _fresh_namer(rng, identifiers(source) | set(dir(builtins)))
    def segment(node) -> str:
        text = ast.get_source_segment(source, node)
        return f"({text})" if "\n" in text else text
    target = ast.get_source_segment(source, loop.target)
    call = loop.iter
    range_form = (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "range"
                  and not call.keywords and 1 <= len(call.args) <= 3 and isinstance(loop.target, ast.Name)
                  and "range" not in _binds_anywhere(tree) and not _has_continue(loop.body))
    if range_form and len(call.args) == 3:
        step = call.args[2]
        range_form = isinstance(step, ast.Constant) and isinstance(step.value, int) and step.value != 0 or (
            isinstance(step, ast.UnaryOp) and isinstance(step.op, ast.USub) and isinstance(step.operand, ast.Constant)
            and isinstance(step.operand.value, int) and step.operand.value != 0)
    if range_form:
        name = loop.target.id
        scope = _scope_of(tree, loop)
        in_loop = {id(node) for node in ast.walk(loop)}
        elsewhere = any(isinstance(node, ast.Name) and node.id == name and id(node) not in in_loop
                        for node in ast.walk(scope))
        assigned = any(isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Store)
                       for statement in loop.body for node in ast.walk(statement))
        range_form = not elsewhere and not assigned
    if range_form:
        args = call.args
        start = segment(args[0]) if len(args) > 1 else "0"
        stop_node = args[1] if len(args) > 1 else args[0]
        step = ast.literal_eval(args[2]) if len(args) == 3 else 1
        head = [f"{indent}{name} = {start}\n"]
        if isinstance(stop_node, ast.Constant):
            stop = repr(stop_node.value)
        else:
            stop = fresh("_stop", False)
            head.append(f"{indent}{stop} = {segment(stop_node)}\n")
        head.append(f"{indent}while {name} {'<' if step > 0 else '>'} {stop}:\n")
        tail = [f"{inner}{name} += {step}\n"]
    else:
        iterator = fresh("_iterator", False)
        head = [f"{indent}{iterator} = iter({segment(call)})\n", f"{indent}while True:\n",
                f"{inner}try:\n", f"{inner}{unit}{target} = next({iterator})\n",
                f"{inner}except StopIteration:\n", f"{inner}{unit}break\n"]
        tail = []
    body = lines[loop.iter.end_lineno:loop.end_lineno]
    if body and not body[-1].endswith("\n"):
        body[-1] += "\n"
    result = "".join(lines[:loop.lineno - 1] + head + body + tail + lines[loop.end_lineno:])
    ast.parse(result)
    return result


def _binds_anywhere(tree) -> set:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            found.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.add(node.name)
        elif isinstance(node, ast.arg):
            found.add(node.arg)
    return found


# --------------------------------------------------------------------------- entry points

def keep_names(stub_source: str | None) -> set:
    """What a copy must keep: every identifier of the challenge's stub (its API and parameter names)."""
    return identifiers(stub_source) if stub_source else set()


def disguise(source: str, kind: str, *, seed=0, keep: set | frozenset = frozenset()) -> str:
    """The disguised copy of ``source`` (``kind`` one of KINDS)."""
    keep = set(keep)
    steps = {
        "rename": lambda text, rng: rename(text, rng, keep),
        "reformat": reformat,
        "comments": recomment,
        "reorder": reorder,
        "deadcode": insert_dead_code,
        "loop": for_to_while,
    }
    if kind == "all":
        for name in ALL_ORDER:
            source = steps[name](source, _rng(seed, "all:" + name))
        return source
    if kind not in steps:
        raise ValueError(f"unknown disguise {kind!r}; choose from {', '.join(KINDS)}")
    return steps[kind](source, _rng(seed, kind))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("solution")
    parser.add_argument("--kind", choices=KINDS, default="all")
    parser.add_argument("--seed", default="0")
    parser.add_argument("--stub", help="the challenge's stub/solution.py: its names are never renamed")
    args = parser.parse_args(argv)
    with open(args.solution, encoding="utf-8") as handle:
        source = handle.read()
    stub = None
    if args.stub:
        with open(args.stub, encoding="utf-8") as handle:
            stub = handle.read()
    sys.stdout.write(disguise(source, args.kind, seed=args.seed, keep=keep_names(stub)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
