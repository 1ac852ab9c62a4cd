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


def _is_dead(statement, read: set) -> bool:
    if isinstance(statement, ast.Assign):
        targets, value = statement.targets, statement.value
    elif isinstance(statement, (ast.AugAssign, ast.AnnAssign)) and statement.value is not None:
        targets, value = [statement.target], statement.value
    else:
        return False
    names = []
    for target in targets:
        found = _target_names(target)
        if found is None:
            return False
        names += found
    if not names or any(name in read for name in names):
        return False
    return not any(isinstance(node, _IMPURE) for node in ast.walk(value))


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


def dead_stores(tree, read: set) -> dict:
    """line -> [dead?, ...] for every statement starting on a line where a dead one starts, in column order."""
    if read & _INTROSPECTION:
        return {}
    starts = collections.defaultdict(list)      # line -> [(column, dead?)]
    stack = [(tree.body, False)]
    while stack:
        body, in_function = stack.pop()
        for statement in body:
            dead = in_function and _is_dead(statement, read)
            starts[statement.lineno].append((statement.col_offset, dead))
            if isinstance(statement, _FUNCTIONS):
                stack.append((statement.body, True))
            elif isinstance(statement, ast.ClassDef):
                stack.append((statement.body, False))
            else:
                stack.extend((nested, in_function) for nested in _bodies(statement))
    return {line: [dead for _, dead in sorted(found)] for line, found in starts.items()
            if any(dead for _, dead in found)}


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
