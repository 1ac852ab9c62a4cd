"""What the names of one submission file stand for, for the static rules.

``Names(tree).resolve(node)`` gives the qualified names an expression may
denote: ``s._getframe`` after ``import sys as s`` is ``{"sys._getframe"}``,
``OD`` after ``from collections import OrderedDict as OD`` is
``{"collections.OrderedDict"}``. It follows:

* imports (``import X``, ``import X.Y``, ``import X as Y``, ``from X import Y as Z``);
* plain aliases, anywhere in the file: ``s = sys``, ``a, b = sys, gc``,
  ``(s := sys)``, a parameter default ``def f(s=sys)``;
* ``getattr(X, "name")`` and ``__import__("X")`` / ``importlib.import_module("X")``
  with a constant argument;
* ``operator.attrgetter("name")(X)``, ``operator.methodcaller("name")(X)``,
  ``X.__getattribute__("name")`` and ``object.__getattribute__(X, "name")``
  with constant names, like ``getattr``;
* builtins: an unbound name such as ``sorted`` is ``builtins.sorted``, unless
  the file binds that name itself. The builtins that reach attributes,
  imports, code and files (``ALWAYS_BUILTIN``: ``getattr``, ``__import__``,
  ``exec``, ``open``, ...) are builtins wherever they appear, even if the
  file binds the name too: a method or a parameter named ``open`` says
  nothing about the ``open`` of another scope.

It is flow-insensitive (one table for the whole file, whatever the scope):
a name bound by an import keeps that meaning even where it is rebound, which
errs on the side of reporting.

``with_embedded_code(tree)`` adds the code of ``exec("...")``, ``eval("...")``
and ``compile("...", ...)`` with a constant string to the module, on the line
of the call, so that every rule reads it too.
"""

from __future__ import annotations

import ast
import builtins
import collections

DYNAMIC_IMPORTS = frozenset({"builtins.__import__", "importlib.import_module", "importlib.__import__"})
CODE_RUNNERS = frozenset({"builtins.exec", "builtins.eval", "builtins.compile"})
_ATTRIBUTE_FUNCTIONS = {"builtins.getattr": "getattr", "builtins.setattr": "setattr", "builtins.delattr": "delattr",
                        "builtins.hasattr": "hasattr"}
for _owner in ("builtins.object", "builtins.type"):
    _ATTRIBUTE_FUNCTIONS.update({f"{_owner}.__getattribute__": "getattr", f"{_owner}.__setattr__": "setattr",
                                 f"{_owner}.__delattr__": "delattr"})
GETTERS = frozenset({"operator.attrgetter", "operator.methodcaller"})     # getter("name")(X) is X.name
ALWAYS_BUILTIN = frozenset({"getattr", "setattr", "delattr", "hasattr", "__import__", "exec", "eval", "compile",
                            "open", "vars", "globals", "locals", "type", "object"})
_ALIAS_ROUNDS = 4          # s = sys; t = s; u = t ... is followed this many steps
_EMBEDDED_DEPTH = 3        # exec("exec('...')") is read this deep


class Names:
    def __init__(self, tree: ast.AST):
        self.bound: dict[str, set[str]] = collections.defaultdict(set)   # name -> qualified names
        self.other: set[str] = set()      # names the file binds to something else (def, class, ...)
        self._cache: dict | None = None   # (node id, implicit_builtins) -> names, once the table is built
        aliases: list[tuple[str, ast.expr]] = []
        alias_targets: set[int] = set()     # the Name nodes of those aliases
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.bound[alias.asname].add(alias.name)
                    else:
                        root = alias.name.split(".")[0]
                        self.bound[root].add(root)
            elif isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    if alias.name == "*":
                        continue
                    if node.level == 0 and node.module:
                        self.bound[alias.asname or alias.name].add(f"{node.module}.{alias.name}")
                    else:                               # the submission's own module
                        self.other.add(alias.asname or alias.name)
            elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.NamedExpr)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    for name_node, value in _pairs(target, node.value):
                        aliases.append((name_node.id, value))
                        alias_targets.add(id(name_node))
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                args = node.args
                positional = args.posonlyargs + args.args
                defaults = list(zip(positional[len(positional) - len(args.defaults):], args.defaults))
                defaults += [(arg, default) for arg, default in zip(args.kwonlyargs, args.kw_defaults)
                             if default is not None]
                aliases.extend((arg.arg, default) for arg, default in defaults)
                with_default = {id(arg) for arg, _ in defaults}
                for arg in positional + args.kwonlyargs + [args.vararg, args.kwarg]:
                    if arg is not None and id(arg) not in with_default:
                        self.other.add(arg.arg)
                if not isinstance(node, ast.Lambda):
                    self.other.add(node.name)
            elif isinstance(node, ast.ClassDef):
                self.other.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and id(node) not in alias_targets:
                self.other.add(node.id)
            elif isinstance(node, ast.ExceptHandler) and node.name:
                self.other.add(node.name)
            elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
                self.other.add(node.name)
            elif isinstance(node, ast.MatchMapping) and node.rest:
                self.other.add(node.rest)
        resolved = [set() for _ in aliases]
        for _ in range(_ALIAS_ROUNDS):
            changed = False
            for index, (name, value) in enumerate(aliases):
                resolved[index] = self.resolve(value)
                if resolved[index] - self.bound[name]:
                    self.bound[name] |= resolved[index]
                    changed = True
            if not changed:
                break
        for (name, _), found in zip(aliases, resolved):    # an alias of nothing known is the file's own name
            if not found:
                self.other.add(name)
        self._cache = {}

    def resolve(self, node: ast.AST, implicit_builtins: bool = True) -> set[str]:
        """The qualified names ``node`` may denote (empty when it is not a known name).

        With ``implicit_builtins=False``, only names the file binds from an
        import (or aliases of them) count: ``next.val = 1`` then is not about
        the builtin ``next``."""
        if self._cache is None:
            return self._resolve(node, implicit_builtins)
        key = (id(node), implicit_builtins)
        if key not in self._cache:
            self._cache[key] = self._resolve(node, implicit_builtins)
        return self._cache[key]

    def _resolve(self, node: ast.AST, implicit_builtins: bool) -> set[str]:
        if isinstance(node, ast.Name):
            found = set(self.bound.get(node.id, ()))
            if implicit_builtins and node.id in ALWAYS_BUILTIN:
                found.add(f"builtins.{node.id}")
            elif implicit_builtins and not found and node.id not in self.other and hasattr(builtins, node.id):
                found.add(f"builtins.{node.id}")
            return found
        if isinstance(node, ast.Attribute):
            return {f"{name}.{node.attr}" for name in self.resolve(node.value, implicit_builtins)}
        if isinstance(node, ast.Call):
            getter = self._getter(node.func)
            if getter is not None and node.args:
                return {f"{name}.{getter}" for name in self.resolve(node.args[0], implicit_builtins)}
            if isinstance(node.func, ast.Attribute) and node.func.attr == "__getattribute__" and node.args:
                attribute = constant_string(node.args[0])
                if attribute is not None:
                    return {f"{name}.{attribute}" for name in self.resolve(node.func.value, implicit_builtins)}
            if self.is_attribute_function(node) == "getattr" and len(node.args) >= 2:
                attribute = constant_string(node.args[1])
                if attribute is not None:
                    return {f"{name}.{attribute}" for name in self.resolve(node.args[0], implicit_builtins)}
                return set()
            functions = self.resolve(node.func)
            first = constant_string(node.args[0]) if node.args else None
            if first is not None and functions & DYNAMIC_IMPORTS:
                return {first.split(".")[0] if "builtins.__import__" in functions else first}
        return set()

    def _getter(self, node: ast.AST) -> str | None:
        """"a.b" when ``node`` is ``operator.attrgetter("a.b")`` or ``operator.methodcaller("a.b", ...)``."""
        if isinstance(node, ast.Call) and len(node.args) >= 1 and self.resolve(node.func) & GETTERS:
            return constant_string(node.args[0])
        return None

    def is_attribute_function(self, node: ast.Call) -> str | None:
        """``getattr`` / ``setattr`` / ``delattr`` / ``hasattr`` when ``node`` calls one of them."""
        for name in sorted(self.resolve(node.func) & _ATTRIBUTE_FUNCTIONS.keys()):
            return _ATTRIBUTE_FUNCTIONS[name]
        return None


class IterativeVisitor(ast.NodeVisitor):
    """An ``ast.NodeVisitor`` that keeps its own stack: however deep the tree,
    ``visit`` never recurses. Nodes are visited in the same order (each
    ``visit_X`` before its children, children in field order), and a
    ``visit_X`` that does not call ``generic_visit`` still skips its
    children; ``generic_visit`` only queues them, so work a ``visit_X`` does
    after calling it happens before the children are visited (no visitor of
    the rules does any)."""

    def visit(self, node: ast.AST) -> None:
        pending, methods = [node], {}
        children = self._children = []
        while pending:
            current = pending.pop()
            kind = current.__class__
            method = methods.get(kind)
            if method is None:
                method = methods[kind] = getattr(self, "visit_" + kind.__name__, self.generic_visit)
            method(current)
            if children:
                pending.extend(reversed(children))
                children.clear()

    def generic_visit(self, node: ast.AST) -> None:
        self._children.extend(ast.iter_child_nodes(node))


def constant_string(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _pairs(target: ast.AST, value: ast.AST):
    """(Name node, value) for each plain name a simple assignment binds: ``a = v``, ``a, b = v, w``."""
    if value is None:
        return []
    if isinstance(target, ast.Name):
        return [(target, value)]
    if isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List)) \
            and len(target.elts) == len(value.elts):
        return [pair for t, v in zip(target.elts, value.elts) for pair in _pairs(t, v)]
    return []


def embedded_source(names: Names, node: ast.Call) -> str | None:
    """The constant code string an ``exec`` / ``eval`` / ``compile`` call runs, if any."""
    if not (names.resolve(node.func) & CODE_RUNNERS) or not node.args:
        return None
    first = node.args[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, bytes):
        return first.value.decode("utf-8", "replace")
    return constant_string(first)


def with_embedded_code(tree: ast.Module, names: Names | None = None, depth: int = _EMBEDDED_DEPTH) -> ast.Module:
    """``tree`` plus the statements of the constant strings it executes (the tree is not changed);
    ``names``: the tree's, if already built."""
    names = names or Names(tree)
    extra: list[ast.stmt] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        source = embedded_source(names, node)
        if source is None:
            continue
        parsed = _parse(source)
        if parsed is None:
            continue
        for inner in ast.walk(parsed):
            if hasattr(inner, "lineno"):
                inner.lineno, inner.end_lineno = node.lineno, node.lineno
        extra.extend(with_embedded_code(parsed, depth=depth - 1).body if depth > 1 else parsed.body)
    if not extra:
        return tree
    return ast.Module(body=list(tree.body) + extra, type_ignores=[])


def _parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError):
        pass
    try:
        return ast.Module(body=[ast.Expr(ast.parse(source, mode="eval").body)], type_ignores=[])
    except (SyntaxError, ValueError):
        return None
