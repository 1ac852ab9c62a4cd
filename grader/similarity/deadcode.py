"""Assignments nothing reads: dead code a copier puts after every line.

``_ = 0`` after each statement of a copy breaks every run of shared tokens
that is longer than a line, and winnowing sees no match shorter than
``k`` tokens. Such a statement is left out of the fingerprints when it
assigns, inside a function, only to names the file never reads anywhere
(not even in a nested function, an f-string or through ``global``), with a
value that calls nothing (so dropping it loses no work the program does).
Class bodies and the module's top level are left alone: an assignment
there is an attribute or a name another module may import. A file that
calls ``eval``, ``exec``, ``locals``, ``vars`` or ``globals`` can read a
name without naming it, so nothing in it is dead.

The syntax tree says which statements are dead; the token stream is split
into statements at line ends and ``;``. The two are matched line by line,
in order, only where they agree on how many statements start on a line
(a one-line ``if x: y = 1`` is one logical line but two statements; then
nothing on that line is dropped), and only a statement whose first token
is a name: ``else: _ = 0`` keeps its ``else``.
"""

from __future__ import annotations

import ast
import collections

_INTROSPECTION = frozenset({"eval", "exec", "locals", "vars", "globals"})
_IMPURE = (ast.Call, ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def _target_names(target) -> list | None:
    """The plain names a target binds, or None when it binds anything else (an attribute, an item)."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    if isinstance(target, (ast.Tuple, ast.List)):
        names = []
        for item in target.elts:
            found = _target_names(item)
            if found is None:
                return None
            names += found
        return names
    return None


def _reads(node, into: collections.Counter) -> None:
    for item in ast.walk(node):
        if type(item) is ast.Name and type(item.ctx) is ast.Load:
            into[item.id] += 1


def _store(statement):
    """(names, what its value and annotation read) of an assignment that only binds plain names, of a value
    that calls nothing; ``([], ...)`` for an annotation alone (``x: int`` in a function does nothing); else None."""
    if isinstance(statement, ast.Assign):
        targets, value = statement.targets, statement.value
    elif isinstance(statement, ast.AugAssign):
        targets, value = [statement.target], statement.value
    elif isinstance(statement, ast.AnnAssign):
        if statement.value is None:
            return ([], collections.Counter()) if isinstance(statement.target, ast.Name) else None
        targets, value = [statement.target], statement.value
    else:
        return None
    names = []
    for target in targets:
        found = _target_names(target)
        if found is None:
            return None
        names += found
    if not names or any(isinstance(node, _IMPURE) for node in ast.walk(value)):
        return None
    reads: collections.Counter = collections.Counter()
    _reads(value, reads)
    if isinstance(statement, ast.AnnAssign):
        _reads(statement.annotation, reads)     # not evaluated in a function: "_j: _k = 0" reads no _k
    return names, reads


def _dead(stores: list, reads: dict, declared_global: set) -> list:
    """Which of ``stores`` ([(names, reads)]) nothing live reads: a name is live when something other than a
    store reads it, or a live store does (junk read only by junk is dead too), or it is a global."""
    in_stores: collections.Counter = collections.Counter()
    assigning = collections.defaultdict(list)       # name -> the stores that bind it
    for number, (names, store_reads) in enumerate(stores):
        in_stores.update(store_reads)
        for name in names:
            assigning[name].append(number)
    live = {name for name, count in reads.items() if count > in_stores[name]} | declared_global
    work = list(live)
    live_stores = set()
    while work:                         # each name and each store once: linear, whatever the chains
        for number in assigning.get(work.pop(), ()):
            if number not in live_stores:
                live_stores.add(number)
                for name in stores[number][1]:
                    if name not in live:
                        live.add(name)
                        work.append(name)
    return [number not in live_stores for number in range(len(stores))]


def _bodies(statement):
    """The statement lists nested in a compound statement (not a function's or a class's)."""
    for field in ("body", "orelse", "finalbody"):
        value = getattr(statement, field, None)
        if isinstance(value, list):
            yield value
    for handler in getattr(statement, "handlers", ()):
        yield handler.body
    for case in getattr(statement, "cases", ()):
        yield case.body


def dead_stores(tree, reads: dict) -> dict:
    """line -> [dead?, ...] for every statement starting on a line where a dead one starts, in column order
    (``reads``: name -> how many times the tree reads it). A case's pattern counts as a start: 'case 1: x = 0'
    is one logical line of two, left whole."""
    if _INTROSPECTION.intersection(reads):
        return {}
    starts = collections.defaultdict(list)      # line -> [(column, the store's number or None)]
    stores: list = []
    declared_global: set = set()
    stack = [(tree.body, False)]
    while stack:
        body, in_function = stack.pop()
        for statement in body:
            store = _store(statement) if in_function else None
            if store is not None:
                stores.append(store)
            starts[statement.lineno].append((statement.col_offset, None if store is None else len(stores) - 1))
            if isinstance(statement, ast.Global):
                declared_global.update(statement.names)
            if isinstance(statement, _FUNCTIONS):
                stack.append((statement.body, True))
            elif isinstance(statement, ast.ClassDef):
                stack.append((statement.body, False))
            else:
                for case in getattr(statement, "cases", ()):
                    starts[case.pattern.lineno].append((case.pattern.col_offset, None))
                stack.extend((nested, in_function) for nested in _bodies(statement))
    if not stores:
        return {}
    dead = _dead(stores, reads, declared_global)
    flags = {line: [number is not None and dead[number] for _, number in sorted(found, key=lambda item: item[0])]
             for line, found in starts.items()}
    return {line: found for line, found in flags.items() if any(found)}


def without_dead(statements: list, dead: dict, name_token: str) -> list:
    """``statements`` ([(tokens, kept?)], in order) less the ones not kept and the dead stores (see above)."""
    if not dead:
        return [tokens for tokens, kept in statements if kept]
    by_line = collections.defaultdict(list)
    for number, (tokens, _) in enumerate(statements):
        by_line[tokens[0].line].append(number)
    drop = set()
    for line, flags in dead.items():
        numbers = by_line.get(line, [])
        if len(numbers) != len(flags):
            continue
        drop.update(number for number, flag in zip(numbers, flags)
                    if flag and statements[number][0][0].text == name_token)
    return [tokens for number, (tokens, kept) in enumerate(statements) if kept and number not in drop]
