"""Static checks every challenge applies: code that reaches into the grader.

The submission runs in the same interpreter as the grader's in-sandbox agent,
its fixtures and the benchmark workload. Code that walks stack frames, lists
the garbage collector's objects, traces memory, loads ``ctypes``, rewrites a
standard module or a builtin, or changes the import path could read or
rewrite them. Code that reads or writes raw file descriptors, opens one as a
file, starts a process or loads a file as a module (``runpy``, a loader, a
string naming the agent's folder) could take over the agent's protocol
channel and answer every request itself, with a second copy of the agent:
those are reported wherever they are reached, and ``open`` / ``io.FileIO``
with anything but a path written as a string. Each is reported as
``interferes-with-grader``, from the tables below (what, why). A submission
file named like a standard module (``random.py``, ``json/``) is reported as
``shadows-standard-library``: the agent puts the submission after the
standard library on ``sys.path``, so it is never imported in place of the
real module, and the candidate is told so.

This is a static backstop: answers compared with the reference's, and times
and memory measured from outside the sandbox, are what make forging
pointless. Names are followed through imports, aliases and ``getattr`` with a
constant (``rules_names``); a computed module name, attribute of a sensitive
module or code string is reported because it hides what it reaches. Strings
built from constants (``"/grader" + "-agent"``, ``"".join(...)``, ``[::-1]``,
``os.path.join``, ``pathlib`` paths, f-strings, a name assigned once) are
checked like strings written whole. Out of reach of this check: a file
descriptor or a mode computed at run time from data and handed to a file's
class reached through objects the rules cannot name.
"""

from __future__ import annotations

import ast
import collections
import re
import sys

from grader.constants import SOLUTION_FILE
from grader.report.model import RuleFinding
from grader.rules_names import (CODE_RUNNERS, DYNAMIC_IMPORTS, GETTERS, IterativeVisitor, Names, _pairs,
                                constant_string, embedded_source)

INTERFERES = "interferes-with-grader"
SHADOWS = "shadows-standard-library"

_FRAMES = "walks the interpreter's stack frames, the grader's among them"
_TRACER = "installs a tracer or profiler that sees every frame, the grader's too"
_FD = "reads or writes a raw file descriptor (the grader's protocol channel)"
_FD_FILE = "opens a raw file descriptor as a file (the grader's protocol channel)"
_FD_COPY = "copies or changes a raw file descriptor (the grader's protocol channel)"
_FD_RAW = "is the raw layer of files, which opens raw file descriptors (the grader's protocol channel)"
_SPAWN = "starts a process, which can reach the grader's protocol channel"
_LOADER = "loads a file as a module, a second copy of the grader's agent among them"
_CODE = "compiles and runs code strings, which hides what they do"
_BY_NAME = "finds objects by module and name, the grader's agent and fixtures among them"
_CLASS_WRITE = "changes the class of an object it was given, the grader's own classes (fixtures) among them"

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
    # the protocol channel: raw file descriptors and processes that inherit them
    "posix": "is the raw interface of os (file descriptors, processes), the grader's protocol channel among them",
    "_io": _FD_RAW,
    "_pyio": _FD_RAW,
    "_socket": _FD_FILE,
    "fcntl": _FD_COPY,
    "pty": _SPAWN,
    "subprocess": _SPAWN,
    "_posixsubprocess": _SPAWN,
    "multiprocessing": _SPAWN,
    "_multiprocessing": _SPAWN,
    # a second copy of the agent
    "runpy": "runs a module as a script, a second copy of the grader's agent among them",
    "grader_agent": "is the grader's agent, the program that runs the submission",
    "pkgutil": "finds and loads modules from folders and strings, which hides what is loaded",
    "zipimport": _LOADER,
    "_imp": _LOADER,
    "_frozen_importlib": _LOADER,
    "_frozen_importlib_external": _LOADER,
    "code": _CODE,
    "codeop": _CODE,
    # objects found by module and name: the agent's (__main__.Agent) and its fixtures' among them
    "pickle": _BY_NAME,
    "_pickle": _BY_NAME,
    "copyreg": _BY_NAME,
    "shelve": _BY_NAME,
    "marshal": "loads code objects from bytes, which hides what they do",
    "pydoc": _BY_NAME,
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
    "os.fdopen": _FD_FILE,
    "socket.fromfd": _FD_FILE,
    "socket.fromshare": _FD_FILE,
    "socket.dup": _FD_COPY,
    "importlib.machinery": _LOADER,
    "importlib.util": _LOADER,
    "importlib._bootstrap": _LOADER,
    "importlib._bootstrap_external": _LOADER,
    "asyncio.create_subprocess_exec": _SPAWN,
    "asyncio.create_subprocess_shell": _SPAWN,
    "asyncio.subprocess": _SPAWN,
    "concurrent.futures.ProcessPoolExecutor": _SPAWN,
    "concurrent.futures.process": _SPAWN,
    "unittest.mock": "patches objects named by module and name, the grader's agent among them",
    "typing.get_type_hints": "evaluates names in another module, the grader's agent among them",
    "typing.ForwardRef": "evaluates names in another module, the grader's agent among them",
    "typing._eval_type": "evaluates names in another module, the grader's agent among them",
}
NAMES.update({f"os.{name}": _FD for name in ("read", "write", "pread", "pwrite", "readv", "writev", "preadv",
                                             "pwritev", "sendfile", "splice", "copy_file_range")})
NAMES.update({f"os.{name}": _FD_COPY for name in ("dup", "dup2", "set_inheritable", "set_blocking", "openpty",
                                                  "login_tty")})
NAMES.update({f"os.{name}": _SPAWN for name in ("system", "popen", "fork", "forkpty", "execl", "execle", "execlp",
                                                "execlpe", "execv", "execve", "execvp", "execvpe", "spawnl",
                                                "spawnle", "spawnlp", "spawnlpe", "spawnv", "spawnve", "spawnvp",
                                                "spawnvpe", "posix_spawn", "posix_spawnp")})

# Functions that open a file and also take a raw file descriptor (``open(4, "wb")``): reported when
# their file is not a path written as a string, when they get an ``opener`` (which returns a file
# descriptor) or unbuffered (a raw file, whose class opens file descriptors), or when passed on uncalled.
OPENERS = {"builtins.open": "open", "io.open": "io.open", "io.FileIO": "io.FileIO", "_io.open": "io.open",
           "_io.FileIO": "io.FileIO", "_pyio.open": "io.open", "_pyio.FileIO": "io.FileIO",
           "codecs.open": "codecs.open", "tokenize.open": "tokenize.open"}
OPENER_FD_WHY = _FD_FILE
OPENER_PATH_WHY = ("may open a raw file descriptor (the grader's protocol channel): only a path written as a "
                   "string is allowed")
OPENER_OPENER_WHY = "gets a file descriptor from an opener (the grader's protocol channel among them)"
OPENER_RAW_WHY = "opens an unbuffered raw file, whose class opens raw file descriptors (the grader's protocol channel)"
OPENER_PASSED_WHY = ("is passed on uncalled, which hides what it opens (it opens raw file descriptors too, the "
                     "grader's protocol channel among them)")
SOCKETS = frozenset({"socket.socket", "socket.SocketType", "_socket.socket"})
# Path functions that return a plain string when all their arguments are plain strings.
PATH_FUNCTIONS = frozenset({f"os.path.{name}" for name in ("join", "abspath", "realpath", "normpath", "dirname",
                                                           "basename", "expanduser", "expandvars")})
PATH_CLASSES = frozenset({f"pathlib.{name}" for name in ("Path", "PurePath", "PosixPath", "PurePosixPath")})
PATH_ATTRIBUTES = frozenset({"parent"})
PATH_METHODS = frozenset({"joinpath", "with_name", "with_suffix", "with_stem", "resolve", "absolute", "expanduser"})
STREAMS = frozenset({f"sys.{name}" for name in ("stdin", "stdout", "stderr", "__stdin__", "__stdout__",
                                                "__stderr__")})
STREAM_BUFFER_USES = frozenset({"write", "writelines", "flush", "read", "readline", "readlines"})
FILE_FROM_CLASS_WHY = ("builds a file from another file's class, which opens raw file descriptors (the grader's "
                       "protocol channel)")
_MODE = re.compile(r"^(?=.*[rwax])[rwaxbt+]{1,4}$")

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
    "fileno": "takes the raw file descriptor of a file (the grader's protocol channel is one)",
    "__loader__": "reaches the loader of a module, which loads any file as a module (a copy of the grader's agent)",
    "__spec__": "reaches the loader of a module, which loads any file as a module (a copy of the grader's agent)",
}

# Attributes of io's files that reach their raw layer (a raw file, whose class opens file
# descriptors): reported unless the file defines an attribute of that name itself, and always on
# the standard streams, a call or a ``.buffer``.
RAW_ATTRIBUTES = {
    "raw": "reaches the raw layer of a file, whose class opens raw file descriptors (the grader's protocol channel)",
    "detach": "reaches the raw layer of a file, whose class opens raw file descriptors (the grader's protocol channel)",
}
STREAM_BUFFER_WHY = ("reaches the raw file under a standard stream, whose class opens raw file descriptors "
                     "(the grader's protocol channel)")

# Attributes of any object, reported when assigned or deleted.
ASSIGNED_ATTRIBUTES = {
    "__code__": "replaces a function's code",
    "__defaults__": "replaces a function's default arguments",
    "__kwdefaults__": "replaces a function's default arguments",
    "cell_contents": "rewrites a closure's variables",
    "__class__": _CLASS_WRITE,
}

# Bare names reported on any use.
RAW_NAMES = {
    "__main__": MODULES["__main__"],
    "__builtins__": ATTRIBUTES["__builtins__"],
    "__loader__": ATTRIBUTES["__loader__"],
    "__spec__": ATTRIBUTES["__spec__"],
}
DEFINED_FILENO_WHY = ("lets the standard library read and write the raw file descriptor it returns "
                      "(the grader's protocol channel)")

# String literals (any part of one).
STRINGS = (
    (re.compile(r"clear_refs"), "clear_refs", "resets the process's memory counters, which the grader measures"),
    (re.compile(r"/proc(?![\w.-])"), "/proc", "names the process files of /proc (memory, other processes)"),
    (re.compile(r"^__builtins__$"), "__builtins__", ATTRIBUTES["__builtins__"]),
    (re.compile(r"grader[-_]agent", re.IGNORECASE), "/grader-agent",
     "names the grader's agent (/grader-agent, grader_agent), a second copy of which could answer for it"),
    (re.compile(r"(?<![\w.-])agent\.py"), "agent.py",
     "names the grader's agent (/grader-agent/agent.py), a second copy of which could answer for it"),
    (re.compile(r"__main__\.|^c__main__|grader_fixtures"), "__main__.",
     "names an object of the grader's agent (__main__) or fixtures by module and name"),
    (re.compile(r"/dev/fd(?![\w.-])"), "/dev/fd",
     "names the process's raw file descriptors (/dev/fd), the grader's protocol channel among them"),
)
_FOLD_DEPTH = 40          # how deep a string built from constants is followed
_FOLD_LENGTH = 4096       # and how long it may grow

COMPUTED_IMPORT_WHY = "imports a computed module name, which hides what is imported"
COMPUTED_CODE_WHY = "runs code built at run time, which hides what it does"
COMPUTED_ATTRIBUTE_WHY = "reaches a computed attribute of {module}, which hides what it uses"
EXPOSED_WHY = "exposes every attribute of a standard-library module or class to be replaced"
STDLIB_WRITE_WHY = "changes the standard library, which the grader's own code uses in the same process"
BUILTIN_WRITE_WHY = "changes a builtin for the whole interpreter, the grader's code too"
SHADOW_DETAIL = ("{path} has the name of a standard-library module; it is not imported in place of "
                 "`{module}` (rename it)")

STDLIB = frozenset(sys.stdlib_module_names)
# ``operator.attrgetter(name)`` / ``methodcaller(name)`` not applied at once: reported for a computed
# name or a name the tables know (what it is taken from is not known).
GETTER_NAMES = frozenset({key.rpartition(".")[2] for key in list(NAMES) + list(OPENERS)} | set(ATTRIBUTES)
                         | set(RAW_ATTRIBUTES) | {"buffer", "__init__", "__class__"})
GETTER_WHY = "reaches an attribute the grader's rules watch, on objects it does not name, which hides what it reaches"
GETTER_COMPUTED_WHY = "reaches a computed attribute, which hides what it uses"
# Modules a computed ``getattr(module, name)`` on is reported.
SENSITIVE_MODULES = frozenset({name.split(".")[0] for name in NAMES} | {"builtins", "inspect", "io"} | set(MODULES))


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


def _is_self(node: ast.AST) -> bool:
    """``self`` or ``cls``: a method's own class (``type(self).count += 1``) is the submission's."""
    return isinstance(node, ast.Name) and node.id in ("self", "cls")


class Interference(IterativeVisitor):
    def __init__(self, names: Names, file: str, tree: ast.AST | None = None):
        self.file = file
        self.names = names
        self.found: list[tuple[str, str, RuleFinding]] = []      # (rule, what, finding)
        self._allowed: set[int] = set()        # importer / code-runner nodes called with a constant
        self._called: set[int] = set()         # the function nodes of calls
        self._aliases: set[int] = set()        # the values of plain aliases (o = open) and defaults
        self._parents: dict[int, ast.AST] = {}
        self._values: dict[str, list] = {}     # name -> values of its plain assignments (None: bound otherwise)
        self._defined: set[str] = set()        # attribute and method names the file defines itself
        self._scopes_rewritten = False         # globals() / locals() / vars() is used: names may hold anything
        self._path_memo: dict[int, bool] = {}  # node id -> whether it is plainly a path
        self._fold_memo: dict[int, str | None] = {}   # node id -> the string it builds
        if tree is not None:
            self._scan(tree)

    def _scan(self, tree: ast.AST) -> None:
        """Parents, plain assignments, aliases and the attribute names the file defines."""
        handled: set[int] = set()
        values = collections.defaultdict(list)
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                self._parents[id(child)] = node
            if isinstance(node, (ast.Assign, ast.AnnAssign, ast.NamedExpr)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    for name_node, value in _pairs(target, node.value):
                        values[name_node.id].append(value)
                        handled.add(id(name_node))
                        self._aliases.add(id(value))
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                args = node.args
                self._aliases.update(id(default) for default in args.defaults + args.kw_defaults if default)
                for arg in args.posonlyargs + args.args + args.kwonlyargs + [args.vararg, args.kwarg]:
                    if arg is not None:
                        values[arg.arg].append(None)
                if not isinstance(node, ast.Lambda):
                    values[node.name].append(None)
                    self._defined.add(node.name)
            elif isinstance(node, ast.ClassDef):
                values[node.name].append(None)
                for statement in node.body:
                    for target in getattr(statement, "targets", [getattr(statement, "target", None)]):
                        if isinstance(target, ast.Name):
                            self._defined.add(target.id)
            elif isinstance(node, ast.Name):
                if not isinstance(node.ctx, ast.Load) and id(node) not in handled:
                    values[node.id].append(None)
                elif node.id in ("globals", "locals", "vars"):
                    self._scopes_rewritten = True
            elif isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Load):
                self._defined.add(node.attr)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    values[(alias.asname or alias.name).split(".")[0]].append(None)
            elif isinstance(node, ast.ExceptHandler) and node.name:
                values[node.name].append(None)
            elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
                values[node.name].append(None)
            elif isinstance(node, ast.MatchMapping) and node.rest:
                values[node.rest].append(None)
        self._values = dict(values)

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

    def _class_write(self, node: ast.AST, receiver: ast.AST) -> None:
        """``type(x).attr = ...``, ``x.__class__.attr = ...`` (or setattr, delattr): rewriting the
        class of an object the submission was handed, such as the nodes a fixture built."""
        if isinstance(receiver, ast.Attribute) and receiver.attr == "__class__" and not _is_self(receiver.value):
            self.report(node, "assigning an attribute of x.__class__", _CLASS_WRITE)
        elif (isinstance(receiver, ast.Call) and len(receiver.args) == 1 and not receiver.keywords
              and not _is_self(receiver.args[0]) and "builtins.type" in self.names.resolve(receiver.func)):
            self.report(node, "assigning an attribute of type(x)", _CLASS_WRITE)

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
                reached = sorted(key for key in list(NAMES) + list(OPENERS)
                                 if key.startswith(node.module + ".") and not key.rpartition(".")[2].startswith("_"))
                if reached or node.module == "inspect":
                    shown = ", ".join(reached[:6]) + (f" and {len(reached) - 6} more" if len(reached) > 6 else "")
                    self.report(node, f"from {node.module} import *", f"brings in {shown or 'its frame functions'}")
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
            self._opener_reference(node)
        elif node.id == "fileno":
            self.report(node, "a fileno() method", DEFINED_FILENO_WHY, "fileno = ...")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        stored = isinstance(node.ctx, (ast.Store, ast.Del))
        named = self._qualified(node, self.names.resolve(node))
        self._attribute(node, node.attr, stored, named)
        if stored:
            self._stdlib_write(node, node.value, node.attr, isinstance(node.ctx, ast.Del))
            self._class_write(node, node.value)
        else:
            self._raw_layer(node)
            self._opener_reference(node)
        if node.attr == "__dict__":
            self._exposed(node, node.value, "{}.__dict__")
        if node.attr in ("__getattribute__", "__getattr__") and id(node) not in self._allowed:
            for name in sorted(self.names.resolve(node.value) & SENSITIVE_MODULES):
                self.report(node, f"{name}.{node.attr}", COMPUTED_ATTRIBUTE_WHY.format(module=name))
        self._dynamic_reference(node)
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if node.name == "fileno":
            self.report(node, "a fileno() method", DEFINED_FILENO_WHY, "def fileno")
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef

    def _raw_layer(self, node: ast.Attribute) -> None:
        """``.raw`` / ``.detach`` of a file, ``sys.stdout.buffer``: the raw file, whose class opens file descriptors."""
        receiver = self.names.resolve(node.value)
        streams = sorted(name for name in receiver if name.split(".buffer")[0] in STREAMS)
        opened = isinstance(node.value, ast.Call) and self.names.resolve(node.value.func) & OPENERS.keys()
        under_buffer = isinstance(node.value, ast.Attribute) and node.value.attr == "buffer"
        if node.attr in RAW_ATTRIBUTES and (streams or opened or under_buffer or node.attr not in self._defined):
            self.report(node, f".{node.attr}", RAW_ATTRIBUTES[node.attr])
        if node.attr == "buffer" and receiver & STREAMS:
            parent = self._parents.get(id(node))
            if not (isinstance(parent, ast.Attribute) and parent.attr in STREAM_BUFFER_USES):
                self.report(node, f"{sorted(receiver & STREAMS)[0]}.buffer", STREAM_BUFFER_WHY)

    def _opener_reference(self, node: ast.AST) -> None:
        """``open`` / ``io.FileIO`` not called (``partial(open, 4)``): its arguments cannot be checked."""
        if id(node) in self._called or id(node) in self._aliases:
            return
        for name in sorted(self.names.resolve(node) & OPENERS.keys())[:1]:
            self.report(node, OPENERS[name], OPENER_PASSED_WHY)

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
        self._called.add(id(node.func))
        first = node.args[0] if node.args else None
        if functions & DYNAMIC_IMPORTS and first is not None and constant_string(first) is not None:
            self._allowed.add(id(node.func))
            found = module_reason(constant_string(first))
            if found:
                self.report(node, *found)
        if functions & CODE_RUNNERS and embedded_source(self.names, node) is not None:
            self._allowed.add(id(node.func))         # its code is read as part of the file
        if isinstance(node.func, ast.Attribute) and node.func.attr in ("__getattribute__", "__getattr__") \
                and first is not None and constant_string(first) is not None:
            self._allowed.add(id(node.func))         # a constant name: what it reaches is resolved
        self._attribute_function(node)
        self._qualified(node, self.names.resolve(node))     # attrgetter("x")(m), m.__getattribute__("x")
        if functions & {"builtins.vars"} and first is not None:
            self._exposed(node, first, "vars({})")
        if isinstance(node.func, ast.Attribute) and node.func.attr in ("__setattr__", "__delattr__"):
            for receiver in [node.func.value] + node.args[:1]:
                self._stdlib_write(node, receiver, None)
        for name in sorted(functions & OPENERS.keys())[:1]:
            self._opener_call(node, OPENERS[name])
        if functions & SOCKETS and (len(node.args) >= 4 or any(isinstance(arg, ast.Starred) for arg in node.args)
                                    or any(keyword.arg in ("fileno", None) for keyword in node.keywords)):
            self.report(node, f"{sorted(functions & SOCKETS)[0]}(fileno=...)", _FD_FILE)
        if functions & GETTERS:
            self._getter(node)
        self._file_from_class(node)
        self._built_string(node)
        self.generic_visit(node)

    def _opener_call(self, node: ast.Call, shown: str) -> None:
        """``open(4, "wb")``, ``open(path)``, ``open(p, opener=...)``, ``open(p, "rb", buffering=0)``, ``io.FileIO``."""
        keywords = {keyword.arg: keyword.value for keyword in node.keywords}
        if any(isinstance(arg, ast.Starred) for arg in node.args) or None in keywords:
            self.report(node, f"{shown}(*...)", OPENER_PATH_WHY)
            return
        file = node.args[0] if node.args else keywords.get("file", keywords.get("filename"))
        file_io = shown == "io.FileIO"
        if isinstance(file, ast.Constant) and isinstance(file.value, int):
            self.report(node, f"{shown}({file.value!r})", OPENER_FD_WHY)
        elif file is not None and not self._is_path(file):
            self.report(node, f"{shown}({_short(_unparse(file), 30)})", OPENER_PATH_WHY)
        elif file_io:
            self.report(node, shown, OPENER_RAW_WHY)
        opener_at = 3 if file_io else 7
        if "opener" in keywords or len(node.args) > opener_at:
            self.report(node, f"{shown}(opener=...)", OPENER_OPENER_WHY)
        if shown in ("open", "io.open"):
            buffering = node.args[2] if len(node.args) > 2 else keywords.get("buffering")
            if buffering is not None and not (isinstance(buffering, ast.Constant) and isinstance(
                    buffering.value, int) and buffering.value != 0):
                self.report(node, f"{shown}(buffering={_short(_unparse(buffering), 20)})", OPENER_RAW_WHY)

    def _getter(self, node: ast.Call) -> None:
        """``operator.attrgetter(name)``: a computed name, or one the tables know, hides what it is taken from."""
        parent = self._parents.get(id(node))
        if isinstance(parent, ast.Call) and parent.func is node and parent.args:
            return                                  # attrgetter("x")(m): resolved as m.x
        for arg in node.args[:1] if "operator.methodcaller" in self.names.resolve(node.func) else node.args:
            name = constant_string(arg)
            if name is None:
                self.report(node, _unparse(node.func), GETTER_COMPUTED_WHY)
            elif set(name.split(".")) & GETTER_NAMES:
                self.report(node, f"{_unparse(node.func)}({name!r})", GETTER_WHY)

    def _file_from_class(self, node: ast.Call) -> None:
        """``type(f)(4, "wb")``, ``f.__class__(4)``, ``f.__init__(4, "wb")``: a file of another file's class."""
        func = node.func
        shaped = (isinstance(func, ast.Call) and len(func.args) == 1 and "builtins.type" in self.names.resolve(
            func.func)) or (isinstance(func, ast.Attribute) and (func.attr == "__class__" or (
                func.attr == "__init__" and not (isinstance(func.value, ast.Call) and "builtins.super" in
                                                 self.names.resolve(func.value.func)))))
        if not shaped:
            return
        # A file to write to needs a mode: one written (or built) as a string, or a computed one beside a
        # file descriptor written as a number. type(self)(0) is not a file.
        modes = [self._folded(arg) for arg in node.args[1:3]]
        fd = _constant_int(node.args[0]) is not None if node.args else False
        if any(_MODE.match(mode or "") for mode in modes) or (fd and modes and modes[0] is None) or any(
                keyword.arg in ("mode", "closefd", "opener") for keyword in node.keywords):
            self.report(node, f"{_short(_unparse(func), 40)}(...)", FILE_FROM_CLASS_WHY)

    # -- strings ---------------------------------------------------------------------------------

    def _is_path(self, node: ast.AST, depth: int = 0) -> bool:
        """Whether ``node`` is plainly a path: a string (or bytes) written as one, an f-string, a
        concatenation of them, ``os.path.join`` of them, a ``pathlib.Path``, or a name only ever
        assigned one of those. Anything else may be a file descriptor, or a str subclass with
        ``__index__`` (which ``open`` takes as one). Each node is judged once (a name that refers
        to itself, or is followed too deep, is not plainly a path)."""
        key = id(node)
        if key not in self._path_memo:
            self._path_memo[key] = False             # while judged: a cycle is not a path
            self._path_memo[key] = depth <= _FOLD_DEPTH and self._judge_path(node, depth)
        return self._path_memo[key]

    def _judge_path(self, node: ast.AST, depth: int) -> bool:
        if isinstance(node, ast.Constant):
            return isinstance(node.value, (str, bytes))
        if isinstance(node, ast.JoinedStr):              # one formatted value alone may be a str subclass
            return not (len(node.values) == 1 and isinstance(node.values[0], ast.FormattedValue))
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Add):
                return self._is_path(node.left, depth + 1) and self._is_path(node.right, depth + 1)
            if isinstance(node.op, ast.Mod):
                right = node.right.elts if isinstance(node.right, ast.Tuple) else [node.right]
                return isinstance(node.left, ast.Constant) and isinstance(node.left.value, str) and all(
                    isinstance(part, ast.Constant) or self._is_path(part, depth + 1) for part in right)
            if isinstance(node.op, ast.Div):
                return self._is_path(node.left, depth + 1) and self._is_path(node.right, depth + 1)
            return False
        if isinstance(node, ast.Attribute):                     # Path(...).parent
            return node.attr in PATH_ATTRIBUTES and self._is_path(node.value, depth + 1)
        if isinstance(node, ast.Call):
            functions = self.names.resolve(node.func)
            if functions & PATH_CLASSES:
                return True
            plain_arguments = not node.keywords and all(self._is_path(arg, depth + 1) for arg in node.args)
            if isinstance(node.func, ast.Attribute) and node.func.attr in PATH_METHODS:   # Path(...).joinpath("x")
                return plain_arguments and self._is_path(node.func.value, depth + 1)
            return bool(functions & PATH_FUNCTIONS) and plain_arguments
        if isinstance(node, ast.Name):
            if self._scopes_rewritten:
                return False
            values = self._values.get(node.id, [])
            if not values:
                return node.id == "__file__"
            return all(value is not None and self._is_path(value, depth + 1) for value in values)
        return False

    def _folded(self, node: ast.AST) -> str | None:
        """The text of a string built from constants (``"/dev/" + "fd"``, ``"".join([...])``,
        ``os.path.join(...)``, f-strings, ``[::-1]``, ``chr(47)``, a name assigned once), if short."""
        memo = self._fold_memo

        def fold(node: ast.AST, depth: int) -> str | None:
            key = id(node)
            if key not in memo:
                memo[key] = None                     # while folded: a cycle folds to nothing
                memo[key] = None if depth > _FOLD_DEPTH else compute(node, depth)
            return memo[key]

        def compute(node: ast.AST, depth: int) -> str | None:
            text = None
            if isinstance(node, ast.Constant):
                if isinstance(node.value, str):
                    text = node.value
                elif isinstance(node.value, bytes):
                    text = node.value.decode("latin-1")
            elif isinstance(node, ast.JoinedStr):
                parts = [fold(value.value if isinstance(value, ast.FormattedValue) and value.conversion == -1
                              and value.format_spec is None else value, depth + 1) for value in node.values]
                text = None if None in parts else "".join(parts)
            elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Div, ast.Mod)):
                left = fold(node.left, depth + 1)
                if isinstance(node.op, ast.Mod) and left is not None and re.fullmatch(r"(?:[^%]|%s|%%)*", left):
                    elements = node.right.elts if isinstance(node.right, ast.Tuple) else [node.right]
                    parts = [fold(element, depth + 1) for element in elements]
                    if None not in parts and left.count("%s") == len(parts):
                        text = re.sub(r"%s", lambda _: parts.pop(0), left).replace("%%", "%")
                elif left is not None and not isinstance(node.op, ast.Mod):
                    right = fold(node.right, depth + 1)
                    if right is not None:
                        text = left + ("/" if isinstance(node.op, ast.Div) else "") + right
            elif isinstance(node, ast.Call) and not node.keywords:
                functions = self.names.resolve(node.func)
                parts = [fold(arg, depth + 1) for arg in node.args]
                if functions & (PATH_CLASSES | {"os.path.join"}) and parts and None not in parts:
                    text = "/".join(parts)
                elif functions & {"builtins.str"} and len(parts) == 1:
                    text = parts[0]
                elif functions & {"builtins.chr"} and len(node.args) == 1 and isinstance(node.args[0], ast.Constant) \
                        and isinstance(node.args[0].value, int) and 0 <= node.args[0].value < 0x110000:
                    text = chr(node.args[0].value)
                elif isinstance(node.func, ast.Attribute) and node.func.attr == "join" and len(node.args) == 1 \
                        and isinstance(node.args[0], (ast.List, ast.Tuple)):
                    separator = fold(node.func.value, depth + 1)
                    parts = [fold(element, depth + 1) for element in node.args[0].elts]
                    if separator is not None and None not in parts:
                        text = separator.join(parts)
            elif isinstance(node, ast.Subscript):
                value = fold(node.value, depth + 1)
                index = node.slice
                if value is not None and isinstance(index, ast.Slice):
                    parts = (index.lower, index.upper, index.step)
                    bounds = [None if part is None else _constant_int(part) for part in parts]
                    if all(bound is not None or part is None for bound, part in zip(bounds, parts)) \
                            and bounds[2] != 0:
                        text = value[slice(*bounds)]
                elif value is not None and _constant_int(index) is not None:
                    position = _constant_int(index)
                    text = value[position] if -len(value) <= position < len(value) else None
            elif isinstance(node, ast.Name) and not self._scopes_rewritten:
                values = self._values.get(node.id, [])
                if len(values) == 1 and values[0] is not None:
                    text = fold(values[0], depth + 1)
            return text if text is None or len(text) <= _FOLD_LENGTH else None

        return fold(node, 0)

    def _built_string(self, node: ast.AST) -> None:
        """A string built from constants is checked like one written whole."""
        parent = self._parents.get(id(node))
        if isinstance(parent, (ast.BinOp, ast.JoinedStr)) or (
                isinstance(parent, ast.Call) and node is parent.func):
            return                                   # its parent is checked (once, the whole string)
        text = self._folded(node)
        if text is not None:
            self._strings(node, text)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        self._built_string(node)
        self.generic_visit(node)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        self._built_string(node)
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        self._built_string(node)
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
            self._class_write(node, receiver)

    def visit_Constant(self, node: ast.Constant) -> None:
        text = node.value.decode("latin-1") if isinstance(node.value, bytes) else node.value
        if isinstance(text, str):
            self._strings(node, text)

    def _strings(self, node: ast.AST, text: str) -> None:
        for pattern, what, why in STRINGS:
            if pattern.search(text):
                self.report(node, f"the string {what!r}", why, repr(_short(text)))
                return


def interference(tree: ast.Module, file: str, names: Names | None = None) -> list[tuple[str, str, RuleFinding]]:
    """(rule, what, finding) for every place of ``tree`` that reaches into the grader."""
    checker = Interference(names or Names(tree), file, tree)
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


def _constant_int(node: ast.AST) -> int | None:
    """The value of an integer constant (``-1`` too), else None."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _constant_int(node.operand)
        return None if inner is None else -inner
    if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    return None


def _unparse(node: ast.AST) -> str:
    try:
        return ast.unparse(node)
    except Exception:                  # noqa: BLE001 - a node built by hand; the text is only shown
        return ""


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 3] + "..."
