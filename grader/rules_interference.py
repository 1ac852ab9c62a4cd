"""Static checks every challenge applies: code that reaches into the grader.

The submission runs in the same interpreter as the grader's in-sandbox agent,
its fixtures and the benchmark workload. Code that walks stack frames, lists
the garbage collector's objects, traces memory, loads ``ctypes``, rewrites a
standard module or a builtin, or changes the import path could read or
rewrite them. Each is reported as ``interferes-with-grader``, from the tables
below (what, why). A submission file named like a standard module
(``random.py``, ``json/``) is reported as ``shadows-standard-library``: the
agent puts the submission after the standard library on ``sys.path``, so it
is never imported in place of the real module, and the candidate is told so.

This is a static backstop: answers compared with the reference's, and times
and memory measured from outside the sandbox, are what make forging
pointless. Names are followed through imports, aliases and ``getattr`` with a
constant (``rules_names``); a computed module name, attribute of a sensitive
module or code string is reported because it hides what it reaches.
"""

from __future__ import annotations

import ast
import re
import sys

from grader.constants import SOLUTION_FILE
from grader.report.model import RuleFinding
from grader.rules_names import CODE_RUNNERS, DYNAMIC_IMPORTS, IterativeVisitor, Names, constant_string, embedded_source

INTERFERES = "interferes-with-grader"
SHADOWS = "shadows-standard-library"

_FRAMES = "walks the interpreter's stack frames, the grader's among them"
_TRACER = "installs a tracer or profiler that sees every frame, the grader's too"

# Modules whose import alone is reported (``import X``, ``from X import ...``, ``__import__("X")``).
MODULES = {
    "ctypes": "reads and writes the interpreter's raw memory",
    "_ctypes": "reads and writes the interpreter's raw memory",
    "tracemalloc": "traces memory allocations, which the grader measures",
    "_tracemalloc": "traces memory allocations, which the grader measures",
    "resource": "reads and changes the process's resource limits and usage, which the grader sets and measures",
    "signal": "handles and sends signals, which the grader uses to stop code",
    "_signal": "handles and sends signals, which the grader uses to stop code",
    "__main__": "is the grader's agent, the program that runs the submission",
    "pdb": _TRACER,
    "bdb": _TRACER,
    "trace": _TRACER,
    "profile": _TRACER,
    "cProfile": _TRACER,
    "_lsprof": _TRACER,
}

# Qualified names reported wherever they are reached: from-import, attribute, getattr, alias.
NAMES = {
    "sys.modules": "reads or changes the table of loaded modules, where the grader's agent lives",
    "sys._getframe": "walks the caller's stack frames",
    "sys._current_frames": _FRAMES,
    "sys._current_exceptions": _FRAMES,
    "sys._getframemodulename": _FRAMES,
    "sys.settrace": _TRACER,
    "sys.setprofile": _TRACER,
    "sys.monitoring": _TRACER,
    "sys.addaudithook": "hooks every audited event of the interpreter, the grader's too",
    "sys.path": "is the import path of the grader's agent",
    "sys.meta_path": "changes how the grader's agent imports modules",
    "sys.path_hooks": "changes how the grader's agent imports modules",
    "sys.path_importer_cache": "changes how the grader's agent imports modules",
    "threading.settrace": _TRACER,
    "threading.setprofile": _TRACER,
    "threading.settrace_all_threads": _TRACER,
    "threading.setprofile_all_threads": _TRACER,
    "gc.get_objects": "lists every object of the interpreter, the grader's too",
    "gc.get_referrers": "finds the objects that hold an object, the grader's among them",
    "gc.get_referents": "follows the references of the grader's objects",
    "importlib.reload": "re-runs a module the grader has already imported",
    "os.kill": "sends signals to processes, the grader's agent among them",
    "os.killpg": "sends signals to processes, the grader's agent among them",
    "traceback.walk_stack": _FRAMES,
    "traceback.walk_tb": _FRAMES,
}

# ``inspect``: only what reads a function you hold is allowed (``inspect.iscoroutinefunction``,
# which the timer-decorator reference uses); the rest walks frames or lists members.
INSPECT_ALLOWED = frozenset({"signature", "Signature", "Parameter", "BoundArguments", "unwrap",
                             "getfullargspec", "cleandoc", "getdoc", "markcoroutinefunction"})
INSPECT_WHY = ("reaches stack frames or object internals (of inspect, only the is...() predicates, "
               "signature and unwrap are allowed)")

# Attributes of any object, reported on any use.
ATTRIBUTES = {
    "f_back": "walks to the caller's stack frame",
    "f_locals": "reads a stack frame's variables",
    "f_globals": "reads a stack frame's module variables",
    "f_builtins": "reads a stack frame's builtins",
    "f_trace": _TRACER,
    "tb_frame": "reaches the stack frames of a traceback",
    "gi_frame": "reaches a generator's stack frame",
    "cr_frame": "reaches a coroutine's stack frame",
    "ag_frame": "reaches an async generator's stack frame",
    "__globals__": "reaches the variables of a function's module, the grader's for a function it passes",
    "__builtins__": "reaches the builtins the grader's code uses too",
    "__subclasses__": "lists every class of the interpreter, the grader's too",
    "_getframe": "walks the caller's stack frames",
    "_current_frames": _FRAMES,
    "settrace": _TRACER,
    "setprofile": _TRACER,
    "get_referrers": "finds the objects that hold an object, the grader's among them",
    "get_referents": "follows the references of the grader's objects",
}

# Attributes of any object, reported when assigned or deleted.
ASSIGNED_ATTRIBUTES = {
    "__code__": "replaces a function's code",
    "__defaults__": "replaces a function's default arguments",
    "__kwdefaults__": "replaces a function's default arguments",
    "cell_contents": "rewrites a closure's variables",
}

# Bare names reported on any use.
RAW_NAMES = {
    "__main__": MODULES["__main__"],
    "__builtins__": ATTRIBUTES["__builtins__"],
}

# String literals (any part of one).
STRINGS = (
    (re.compile(r"clear_refs"), "clear_refs", "resets the process's memory counters, which the grader measures"),
    (re.compile(r"/proc(?![\w.-])"), "/proc", "names the process files of /proc (memory, other processes)"),
    (re.compile(r"^__builtins__$"), "__builtins__", ATTRIBUTES["__builtins__"]),
)

COMPUTED_IMPORT_WHY = "imports a computed module name, which hides what is imported"
COMPUTED_CODE_WHY = "runs code built at run time, which hides what it does"
COMPUTED_ATTRIBUTE_WHY = "reaches a computed attribute of {module}, which hides what it uses"
EXPOSED_WHY = "exposes every attribute of a standard-library module or class to be replaced"
STDLIB_WRITE_WHY = "changes the standard library, which the grader's own code uses in the same process"
BUILTIN_WRITE_WHY = "changes a builtin for the whole interpreter, the grader's code too"
SHADOW_DETAIL = ("{path} has the name of a standard-library module; it is not imported in place of "
                 "`{module}` (rename it)")

STDLIB = frozenset(sys.stdlib_module_names)
# Modules a computed ``getattr(module, name)`` on is reported.
SENSITIVE_MODULES = frozenset({name.split(".")[0] for name in NAMES} | {"builtins", "inspect"} | set(MODULES))


def reason(qualified: str) -> tuple[str, str] | None:
    """(what, why) when the qualified name ``qualified`` reaches into the grader."""
    for key, why in NAMES.items():
        if qualified == key or qualified.startswith(key + "."):
            return key, why
    module, _, rest = qualified.partition(".")
    if module == "inspect" and rest:
        attribute = rest.split(".")[0]
        if not (attribute.startswith("is") or attribute in INSPECT_ALLOWED):
            return f"inspect.{attribute}", INSPECT_WHY
    return None


def module_reason(module: str) -> tuple[str, str] | None:
    root = module.split(".")[0]
    if root in MODULES:
        return root, MODULES[root]
    return reason(module)


class Interference(IterativeVisitor):
    def __init__(self, names: Names, file: str):
        self.file = file
        self.names = names
        self.found: list[tuple[str, str, RuleFinding]] = []      # (rule, what, finding)
        self._allowed: set[int] = set()        # importer / code-runner nodes called with a constant

    def report(self, node: ast.AST, what: str, why: str, written: str | None = None) -> None:
        """``written``: how the code spells it, when not ``what`` (by default, the node's source)."""
        if written is None:
            written = _unparse(node)
        detail = f"interferes with the grader: {what} {why}"
        if written and what.removeprefix("assigning ").removeprefix("deleting ") not in written:
            detail += f" (written `{_short(written)}`)"
        self.found.append((INTERFERES, what, RuleFinding(INTERFERES, detail, getattr(node, "lineno", 0), self.file)))

    def _qualified(self, node: ast.AST, names: set[str]) -> bool:
        """Report each of ``names`` found in the tables; whether one was."""
        reported = False
        for name in sorted(names):
            found = reason(name)
            if found:
                self.report(node, *found)
                reported = True
        return reported

    def _attribute(self, node: ast.AST, attribute: str, stored: bool, named: bool) -> None:
        """``named``: the qualified name was reported already (``sys._getframe``, not also ``_getframe``)."""
        if attribute in ATTRIBUTES and not named:
            self.report(node, attribute, ATTRIBUTES[attribute])
        if stored and attribute in ASSIGNED_ATTRIBUTES:
            self.report(node, f"assigning {attribute}", ASSIGNED_ATTRIBUTES[attribute])

    def _stdlib_write(self, node: ast.AST, receiver: ast.AST, attribute: str | None, deleting: bool = False) -> None:
        """``receiver.attribute = ...`` (or del, setattr, delattr) where receiver is part of the standard library."""
        for name in sorted(self.names.resolve(receiver, implicit_builtins=False)):
            if name.split(".")[0] in STDLIB:
                target = f"{name}.{attribute}" if attribute else f"an attribute of {name}"
                why = BUILTIN_WRITE_WHY if name == "builtins" else STDLIB_WRITE_WHY
                self.report(node, f"{'deleting' if deleting else 'assigning'} {target}", why)

    def _exposed(self, node: ast.AST, receiver: ast.AST, shape: str) -> None:
        """``vars(X)`` / ``X.__dict__`` of a standard module: a door to replacing any of its attributes."""
        for name in sorted(self.names.resolve(receiver, implicit_builtins=False)):
            if name.split(".")[0] in STDLIB:
                self.report(node, shape.format(name), EXPOSED_WHY)

    # -- imports ---------------------------------------------------------------------------------

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            found = module_reason(alias.name)
            if found:
                self.report(node, *found, f"import {alias.name}")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level or not node.module:
            return
        found = module_reason(node.module)
        if found:
            self.report(node, *found, f"from {node.module} import ...")
            return
        for alias in node.names:
            if alias.name == "*":
                reached = sorted(key for key in NAMES
                                 if key.startswith(node.module + ".") and not key.rpartition(".")[2].startswith("_"))
                if reached or node.module == "inspect":
                    self.report(node, f"from {node.module} import *",
                                f"brings in {', '.join(reached) or 'its frame functions'}")
                continue
            found = reason(f"{node.module}.{alias.name}")
            if found:
                self.report(node, *found, f"from {node.module} import {alias.name}")

    # -- references ------------------------------------------------------------------------------

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in RAW_NAMES:
            self.report(node, node.id, RAW_NAMES[node.id])
        if isinstance(node.ctx, ast.Load):
            self._dynamic_reference(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        stored = isinstance(node.ctx, (ast.Store, ast.Del))
        named = self._qualified(node, self.names.resolve(node))
        self._attribute(node, node.attr, stored, named)
        if stored:
            self._stdlib_write(node, node.value, node.attr, isinstance(node.ctx, ast.Del))
        if node.attr == "__dict__":
            self._exposed(node, node.value, "{}.__dict__")
        self._dynamic_reference(node)
        self.generic_visit(node)

    def _dynamic_reference(self, node: ast.AST) -> None:
        """``__import__`` / ``import_module`` / ``exec`` / ``eval`` / ``compile`` not called with a constant."""
        if id(node) in self._allowed:
            return
        reached = self.names.resolve(node)
        if reached & DYNAMIC_IMPORTS:
            self.report(node, _unparse(node), COMPUTED_IMPORT_WHY, "")
        elif reached & CODE_RUNNERS:
            self.report(node, _unparse(node), COMPUTED_CODE_WHY, "")

    def visit_Call(self, node: ast.Call) -> None:
        functions = self.names.resolve(node.func)
        first = node.args[0] if node.args else None
        if functions & DYNAMIC_IMPORTS and first is not None and constant_string(first) is not None:
            self._allowed.add(id(node.func))
            found = module_reason(constant_string(first))
            if found:
                self.report(node, *found)
        if functions & CODE_RUNNERS and embedded_source(self.names, node) is not None:
            self._allowed.add(id(node.func))         # its code is read as part of the file
        self._attribute_function(node)
        if functions & {"builtins.vars"} and first is not None:
            self._exposed(node, first, "vars({})")
        if isinstance(node.func, ast.Attribute) and node.func.attr in ("__setattr__", "__delattr__"):
            for receiver in [node.func.value] + node.args[:1]:
                self._stdlib_write(node, receiver, None)
        self.generic_visit(node)

    def _attribute_function(self, node: ast.Call) -> None:
        """getattr / setattr / delattr / hasattr: a constant name is an attribute, a computed one hides it."""
        function = self.names.is_attribute_function(node)
        if function is None or len(node.args) < 2:
            return
        receiver, attribute = node.args[0], constant_string(node.args[1])
        stored = function in ("setattr", "delattr")
        if attribute is not None:
            named = self._qualified(node, {f"{name}.{attribute}" for name in self.names.resolve(receiver)})
            self._attribute(node, attribute, stored, named)
        else:
            for name in sorted(self.names.resolve(receiver)):
                if name in SENSITIVE_MODULES:
                    self.report(node, f"{function}({name}, ...)", COMPUTED_ATTRIBUTE_WHY.format(module=name))
        if stored:
            self._stdlib_write(node, receiver, attribute, function == "delattr")

    def visit_Constant(self, node: ast.Constant) -> None:
        text = node.value.decode("latin-1") if isinstance(node.value, bytes) else node.value
        if not isinstance(text, str):
            return
        for pattern, what, why in STRINGS:
            if pattern.search(text):
                self.report(node, f"the string {what!r}", why, repr(_short(text)))
                return


def interference(tree: ast.Module, file: str, names: Names | None = None) -> list[tuple[str, str, RuleFinding]]:
    """(rule, what, finding) for every place of ``tree`` that reaches into the grader."""
    checker = Interference(names or Names(tree), file)
    checker.visit(tree)
    return checker.found


def shadowing(paths) -> list[RuleFinding]:
    """A finding for each top-level module or package folder of the submission named like a standard module."""
    findings = {}
    for path in sorted(paths):
        top, _, rest = path.partition("/")
        module = top[:-3] if not rest and top.endswith(".py") else (top if rest else "")
        if path == SOLUTION_FILE or module not in STDLIB or module in findings:
            continue
        shown = path if not rest else f"{top}/"
        file = f"{top}/__init__.py" if f"{top}/__init__.py" in paths else path
        findings[module] = RuleFinding(SHADOWS, SHADOW_DETAIL.format(path=shown, module=module), 1, file)
    return list(findings.values())


def _unparse(node: ast.AST) -> str:
    try:
        return ast.unparse(node)
    except Exception:                  # noqa: BLE001 - a node built by hand; the text is only shown
        return ""


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 3] + "..."
