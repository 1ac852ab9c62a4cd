"""Static checks of forbidden names, from a challenge's ``[rules] forbidden``.

Each entry is one of:

* ``heapq``                    a module: any import of it, ``__import__("heapq")``
                               or ``importlib.import_module("heapq")``
* ``collections.OrderedDict``  a name from a module: ``from collections import
                               OrderedDict`` or ``collections.OrderedDict``
* ``sorted``                   a builtin: any use of the name
* ``list.sort``                a method: any ``x.sort(...)`` call
* ``list.pop(0)``              a method called with that literal first argument

The check reads the code; it does not run it. Dynamic tricks (``getattr``
with computed strings) are out of its reach and stay the assessor's call.
"""

from __future__ import annotations

import ast
import builtins
import dataclasses
import re

from grader.report.model import RuleFinding

_METHOD_CALL = re.compile(r"^(?P<type>\w+)\.(?P<method>\w+)\((?P<arg>[^,)]*)(?:,.*)?\)$")


@dataclasses.dataclass(frozen=True)
class Forbidden:
    kind: str            # module | module-name | builtin | method
    text: str
    module: str = ""
    name: str = ""
    first_arg: object = None
    has_first_arg: bool = False


def parse_rule(text: str) -> Forbidden:
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


class _Checker(ast.NodeVisitor):
    def __init__(self, rules: list[Forbidden], file: str):
        self.rules = rules
        self.file = file
        self.findings: list[RuleFinding] = []
        self.module_aliases: dict[str, str] = {}   # local name -> module

    def add(self, rule: str, forbidden: Forbidden, node: ast.AST, how: str) -> None:
        self.findings.append(RuleFinding(rule=rule, detail=f"{forbidden.text} is not allowed: {how}",
                                         line=getattr(node, "lineno", 0), file=self.file))

    def _module_rule(self, module: str) -> Forbidden | None:
        for rule in self.rules:
            if rule.kind == "module" and (module == rule.module or module.startswith(rule.module + ".")):
                return rule
        return None

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            rule = self._module_rule(alias.name)
            if rule:
                self.add("forbidden-import", rule, node, f"import {alias.name}")
            self.module_aliases[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        rule = self._module_rule(module)
        if rule and node.level == 0:
            self.add("forbidden-import", rule, node, f"from {module} import ...")
        for alias in node.names:
            for forbidden in self.rules:
                if forbidden.kind == "module-name" and forbidden.module == module and alias.name in (forbidden.name, "*"):
                    self.add("forbidden-import", forbidden, node, f"from {module} import {alias.name}")
            full = f"{module}.{alias.name}"
            rule = None if self._module_rule(module) else self._module_rule(full)
            if rule and node.level == 0:
                self.add("forbidden-import", rule, node, f"from {module} import {alias.name}")
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if isinstance(node.value, ast.Name) and node.value.id in self.module_aliases:
            module = self.module_aliases[node.value.id]
            for forbidden in self.rules:
                if forbidden.kind == "module-name" and forbidden.module == module and forbidden.name == node.attr:
                    self.add("forbidden-name", forbidden, node, f"{node.value.id}.{node.attr}")
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        for forbidden in self.rules:
            if forbidden.kind == "builtin" and node.id == forbidden.name:
                self.add("forbidden-name", forbidden, node, f"uses {node.id}")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute):
            for forbidden in self.rules:
                if forbidden.kind != "method" or func.attr != forbidden.name:
                    continue
                if forbidden.has_first_arg:
                    if node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value == forbidden.first_arg \
                            and type(node.args[0].value) is type(forbidden.first_arg):
                        self.add("forbidden-call", forbidden, node, f"calls .{func.attr}({forbidden.first_arg!r}"
                                 + (", ...)" if len(node.args) > 1 else ")"))
                else:
                    self.add("forbidden-call", forbidden, node, f".{func.attr}(...)")
        dynamic = _dynamic_import_target(node)
        if dynamic:
            rule = self._module_rule(dynamic)
            if rule:
                self.add("forbidden-import", rule, node, f"imports {dynamic!r} dynamically")
        self.generic_visit(node)


def _dynamic_import_target(node: ast.Call) -> str | None:
    func = node.func
    is_dunder = isinstance(func, ast.Name) and func.id == "__import__"
    is_importlib = isinstance(func, ast.Attribute) and func.attr == "import_module"
    if (is_dunder or is_importlib) and node.args and isinstance(node.args[0], ast.Constant) \
            and isinstance(node.args[0].value, str):
        return node.args[0].value
    return None


def check(trees: dict, forbidden: tuple[str, ...] | list[str]) -> list[RuleFinding]:
    """Findings for every file's AST, ordered by file and line."""
    rules = [parse_rule(text) for text in forbidden]
    if not rules:
        return []
    findings = []
    for file, tree in sorted(trees.items()):
        checker = _Checker(rules, file)
        checker.visit(tree)
        findings.extend(checker.findings)
    unique = {(f.file, f.line, f.detail): f for f in findings}
    return sorted(unique.values(), key=lambda f: (f.file != "solution.py", f.file, f.line))
