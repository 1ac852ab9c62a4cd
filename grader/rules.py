"""Static rules: a challenge's forbidden names, and what every challenge forbids.

``check(trees, forbidden)`` reports, for every file of a submission:

* the names of the challenge's ``[rules] forbidden`` (below), as
  ``forbidden-import`` / ``forbidden-name`` / ``forbidden-call``;
* code that reaches into the grader (``interferes-with-grader``) and files
  named like a standard module (``shadows-standard-library``), for every
  challenge: see ``grader.rules_interference``.

Names are followed through imports and their aliases (``import X as Y``,
``from X import Y as Z``, ``Z = X.Y``, ``getattr(X, "Y")``): see
``grader.rules_names``. The code of ``exec("...")`` with a constant string is
read as part of the file.

Each entry of ``forbidden`` is one of:

* ``heapq``                    a module: any import of it, ``__import__("heapq")``
                               or ``importlib.import_module("heapq")``
* ``collections.OrderedDict``  a name from a module: ``from collections import
                               OrderedDict`` or ``collections.OrderedDict``
* ``sorted``                   a builtin: any use of the name
* ``list.sort``                a method: any ``x.sort(...)`` call
* ``list.pop(0)``              a method called with that literal first argument
* ``.__dict__``                an attribute: any ``x.__dict__`` (and ``getattr(x, "__dict__")``),
                               whatever ``x`` is, reported as ``forbidden-attribute``
* ``syntax:dict-display``      a piece of syntax, not a name, reported as ``forbidden-syntax``:
                               ``dict-display`` (``{}``, ``{k: v}``, ``{**m}``), ``set-display``
                               (``{x}``, ``{*xs}``), ``dict-comprehension`` (``{k: v for ...}``),
                               ``set-comprehension`` (``{x for ...}``); any other name after
                               ``syntax:`` is a ``ValueError``, so a misspelt entry is not
                               silently ignored

The check reads the code; it does not run it. Dynamic tricks (``getattr``
with computed strings on the submission's own objects) are out of its reach
and stay the assessor's call; computed imports and code strings are reported
for every challenge, as interference.
"""

from __future__ import annotations

import ast
import builtins
import collections
import dataclasses
import re

from grader.report.model import RuleFinding
from grader.rules_interference import INTERFERES, _short, _unparse, interference, shadowing
from grader.rules_names import DYNAMIC_IMPORTS, IterativeVisitor, Names, constant_string, with_embedded_code

MAX_FINDINGS_PER_RULE = 20      # per file and rule kind; the last one kept says how many more
MAX_FINDINGS = 50               # in all, over every file: the last one kept says how many more
TOO_DEEP = "interferes with the grader: the code is nested too deeply for the rules to read it (simplify it)"

_METHOD_CALL = re.compile(r"^(?P<type>\w+)\.(?P<method>\w+)\((?P<arg>[^,)]*)(?:,.*)?\)$")


# The syntax a ``syntax:<name>`` entry forbids: the AST node and how a finding reads.
SYNTAX = {
    "dict-display": (ast.Dict, "a dict display"),
    "set-display": (ast.Set, "a set display"),
    "dict-comprehension": (ast.DictComp, "a dict comprehension"),
    "set-comprehension": (ast.SetComp, "a set comprehension"),
}


@dataclasses.dataclass(frozen=True)
class Forbidden:
    kind: str            # module | module-name | builtin | method | attribute | syntax
    text: str
    module: str = ""
    name: str = ""
    first_arg: object = None
    has_first_arg: bool = False


def parse_rule(text: str) -> Forbidden:
    stripped = text.strip()
    if stripped.startswith("syntax:"):
        name = stripped[len("syntax:"):].strip()
        if name not in SYNTAX:
            raise ValueError(f"[rules] forbidden entry {text!r} names no syntax the rules know; "
                             f"use one of {', '.join('syntax:' + known for known in SYNTAX)}")
        return Forbidden("syntax", text, name=name)
    if stripped.startswith(".") and stripped[1:].isidentifier():
        return Forbidden("attribute", text, name=stripped[1:])
    match = _METHOD_CALL.match(text.replace("…", "...").strip())
    if match:
        arg = match.group("arg").strip()
        has_arg = arg not in ("", "...")
        return Forbidden("method", text, name=match.group("method"),
                         first_arg=ast.literal_eval(arg) if has_arg else None, has_first_arg=has_arg)
    head, _, tail = text.partition(".")
    if not tail:
        if head in vars(builtins):
            return Forbidden("builtin", text, name=head)
        return Forbidden("module", text, module=head)
    if head in vars(builtins) and isinstance(vars(builtins)[head], type):
        return Forbidden("method", text, name=tail)
    module, _, name = text.rpartition(".")
    return Forbidden("module-name", text, module=module, name=name)


class _Checker(IterativeVisitor):
    def __init__(self, rules: list[Forbidden], names: Names, file: str):
        self.rules = rules
        self.file = file
        self.names = names
        self.found: list[tuple[str, str, RuleFinding]] = []     # (rule, forbidden text, finding)

    def add(self, rule: str, forbidden: Forbidden, node: ast.AST, how: str) -> None:
        finding = RuleFinding(rule=rule, detail=f"{forbidden.text} is not allowed: {_short(how, 100)}",
                              line=getattr(node, "lineno", 0), file=self.file)
        self.found.append((rule, forbidden.text, finding))

    def _module_rule(self, module: str) -> Forbidden | None:
        for rule in self.rules:
            if rule.kind == "module" and (module == rule.module or module.startswith(rule.module + ".")):
                return rule
        return None

    def _name_rules(self, qualified: str):
        """The module-name and builtin rules that the qualified name ``qualified`` breaks."""
        for rule in self.rules:
            if rule.kind == "module-name":
                target = f"{rule.module}.{rule.name}"
            elif rule.kind == "builtin":
                target = f"builtins.{rule.name}"
            else:
                continue
            if qualified == target:     # exactly: X.Y.method is reported at its X.Y
                yield rule

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            rule = self._module_rule(alias.name)
            if rule:
                self.add("forbidden-import", rule, node, f"import {alias.name}")
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        if node.level:                   # the submission's own modules
            return
        rule = self._module_rule(module)
        if rule:
            self.add("forbidden-import", rule, node, f"from {module} import ...")
        for alias in node.names:
            for forbidden in self.rules:
                if forbidden.kind == "module-name" and forbidden.module == module and alias.name == "*":
                    self.add("forbidden-import", forbidden, node, f"from {module} import *")
            for forbidden in self._name_rules(f"{module}.{alias.name}"):
                self.add("forbidden-import", forbidden, node, f"from {module} import {alias.name}"
                         + (f" as {alias.asname}" if alias.asname else ""))
            rule = None if self._module_rule(module) else self._module_rule(f"{module}.{alias.name}")
            if rule:
                self.add("forbidden-import", rule, node, f"from {module} import {alias.name}")
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        for forbidden in self.rules:
            if forbidden.kind == "attribute" and node.attr == forbidden.name:
                self.add("forbidden-attribute", forbidden, node, _unparse(node) or f".{node.attr}")
        for qualified in sorted(self.names.resolve(node)):
            for forbidden in self._name_rules(qualified):
                self.add("forbidden-name", forbidden, node, _unparse(node) or "code too deeply nested to quote")
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        for forbidden in self.rules:
            if forbidden.kind == "builtin" and node.id == forbidden.name:
                self.add("forbidden-name", forbidden, node, f"uses {node.id}")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        method = func.attr if isinstance(func, ast.Attribute) else None
        if isinstance(func, ast.Call) and self.names.is_attribute_function(func) == "getattr" \
                and len(func.args) >= 2:
            method = constant_string(func.args[1])        # getattr(x, "sort")(...)
        for forbidden in self.rules:
            if forbidden.kind != "method" or method != forbidden.name:
                continue
            if forbidden.has_first_arg:
                if node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value == forbidden.first_arg \
                        and type(node.args[0].value) is type(forbidden.first_arg):
                    self.add("forbidden-call", forbidden, node, f"calls .{method}({forbidden.first_arg!r}"
                             + (", ...)" if len(node.args) > 1 else ")"))
            else:
                self.add("forbidden-call", forbidden, node, f".{method}(...)")
        if self.names.is_attribute_function(node) and len(node.args) >= 2:
            attribute = constant_string(node.args[1])      # getattr(collections, "OrderedDict")
            for forbidden in self.rules:
                if forbidden.kind == "attribute" and attribute == forbidden.name:
                    self.add("forbidden-attribute", forbidden, node, _unparse(node) or f".{attribute}")
            if attribute is not None:
                for qualified in sorted(self.names.resolve(node.args[0])):
                    for forbidden in self._name_rules(f"{qualified}.{attribute}"):
                        self.add("forbidden-name", forbidden, node, _unparse(node) or "code too deeply nested to quote")
        dynamic = self._dynamic_import_target(node)
        if dynamic:
            rule = self._module_rule(dynamic)
            if rule:
                self.add("forbidden-import", rule, node, f"imports {dynamic!r} dynamically")
        self.generic_visit(node)

    def _syntax(self, node: ast.AST) -> None:
        for forbidden in self.rules:
            if forbidden.kind == "syntax" and isinstance(node, SYNTAX[forbidden.name][0]):
                self.add("forbidden-syntax", forbidden, node,
                         f"{SYNTAX[forbidden.name][1]}: {_unparse(node) or 'code too deeply nested to quote'}")
        self.generic_visit(node)

    visit_Dict = visit_Set = visit_DictComp = visit_SetComp = _syntax

    def _dynamic_import_target(self, node: ast.Call) -> str | None:
        func = node.func
        is_importer = bool(self.names.resolve(func) & DYNAMIC_IMPORTS) \
            or (isinstance(func, ast.Name) and func.id == "__import__") \
            or (isinstance(func, ast.Attribute) and func.attr == "import_module")
        if is_importer and node.args:
            return constant_string(node.args[0])
        return None


def check(trees: dict, forbidden: tuple[str, ...] | list[str]) -> list[RuleFinding]:
    """Findings for every file's AST, ordered by file and line.

    The challenge's forbidden names, then what every challenge forbids (even
    with no forbidden names): interference with the grader, and files named
    like a standard module. One finding per rule, entry and line; at most
    ``MAX_FINDINGS_PER_RULE`` per file and rule and ``MAX_FINDINGS`` in all."""
    rules = [parse_rule(text) for text in forbidden]
    found: list[tuple[str, str, RuleFinding]] = []
    for file, tree in sorted(trees.items()):
        try:
            names = Names(tree)
            expanded = with_embedded_code(tree, names)
            if expanded is not tree:
                names = Names(expanded)
            if rules:
                checker = _Checker(rules, names, file)
                checker.visit(expanded)
                found.extend(checker.found)
            found.extend(interference(expanded, file, names))
        except RecursionError:         # only machine-made code nests this deep; it cannot be read
            found.append((INTERFERES, "nesting", RuleFinding(INTERFERES, TOO_DEEP, 1, file)))
    found.extend((finding.rule, finding.detail, finding) for finding in shadowing(trees))
    unique: dict[tuple, RuleFinding] = {}
    for rule, what, finding in found:
        unique.setdefault((finding.file, finding.line, rule, what), finding)
    ordered = sorted(unique.values(), key=lambda f: (f.file != "solution.py", f.file, f.line))
    return _capped(ordered)


def _capped(findings: list[RuleFinding]) -> list[RuleFinding]:
    """At most ``MAX_FINDINGS_PER_RULE`` findings per file and rule, the last
    kept saying how many more; then at most ``MAX_FINDINGS`` in all, the last
    kept saying how many more the submission has. However many lines break a
    rule, the report stays small."""
    counts = collections.Counter((finding.file, finding.rule) for finding in findings)
    kept, seen = [], collections.Counter()
    for finding in findings:
        key = (finding.file, finding.rule)
        seen[key] += 1
        more = counts[key] - MAX_FINDINGS_PER_RULE
        if seen[key] < MAX_FINDINGS_PER_RULE or (seen[key] == MAX_FINDINGS_PER_RULE and more == 0):
            kept.append(finding)
        elif seen[key] == MAX_FINDINGS_PER_RULE:
            kept.append(dataclasses.replace(finding, detail=f"{finding.detail} (and {more:,} more {finding.rule} "
                                                            f"findings in {finding.file})"))
    if len(kept) <= MAX_FINDINGS:
        return kept
    more = len(findings) - MAX_FINDINGS
    last = kept[MAX_FINDINGS - 1]
    return kept[:MAX_FINDINGS - 1] + [dataclasses.replace(
        last, detail=f"{last.detail} (and {more:,} more findings in the submission)")]
