"""The static rules: forbidden names, interference with the grader, files named like standard modules."""

import ast
import pathlib
import textwrap
import tomllib

import pytest

from grader.rules import check


def findings(source, forbidden):
    return [(f.rule, f.line) for f in check({"solution.py": ast.parse(textwrap.dedent(source))}, forbidden)]


@pytest.mark.parametrize("source, forbidden, expected", [
    ("import heapq\n", ["heapq"], [("forbidden-import", 1)]),
    ("from heapq import heappush\n", ["heapq"], [("forbidden-import", 1)]),
    ("x = 1\nimport heapq as h\n", ["heapq"], [("forbidden-import", 2)]),
    ("__import__('heapq')\n", ["heapq"], [("forbidden-import", 1)]),
    ("import importlib\nimportlib.import_module('queue')\n", ["queue"], [("forbidden-import", 2)]),
    ("from collections import OrderedDict\n", ["collections.OrderedDict"], [("forbidden-import", 1)]),
    ("import collections as c\nd = c.OrderedDict()\n", ["collections.OrderedDict"], [("forbidden-name", 2)]),
    ("from collections import *\n", ["collections.deque"], [("forbidden-import", 1)]),
    ("from collections import defaultdict\n", ["collections.OrderedDict"], []),
    ("import functools\n@functools.lru_cache\ndef f(): pass\n", ["functools.lru_cache"], [("forbidden-name", 2)]),
    ("y = sorted([3, 1])\n", ["sorted"], [("forbidden-name", 1)]),
    ("a = [3]\na.sort()\n", ["list.sort"], [("forbidden-call", 2)]),
    ("a = [3]\na.pop(0)\na.pop()\na.pop(-1)\n", ["list.pop(0)"], [("forbidden-call", 2)]),
    ("a = []\na.insert(0, 1)\na.insert(1, 1)\n", ["list.insert(0, …)"], [("forbidden-call", 2)]),
    ("from queue import Queue\n", ["queue"], [("forbidden-import", 1)]),
    ("import os\n", ["heapq", "sorted"], []),
])
def test_forbidden_names_are_found_with_their_line(source, forbidden, expected):
    assert findings(source, forbidden) == expected


def test_every_python_file_of_the_submission_is_checked():
    trees = {"solution.py": ast.parse("import helper\n"), "helper.py": ast.parse("\n\nimport heapq\n")}
    [finding] = check(trees, ["heapq"])
    assert (finding.file, finding.line) == ("helper.py", 3)


# -- forbidden names through aliases ------------------------------------------------------------

@pytest.mark.parametrize("source, forbidden, expected", [
    ("from collections import OrderedDict as OD\nOD()\n", ["collections.OrderedDict"], [("forbidden-import", 1)]),
    ("import collections\nc = collections\nc.OrderedDict()\n", ["collections.OrderedDict"], [("forbidden-name", 3)]),
    ("import collections\ngetattr(collections, 'OrderedDict')()\n", ["collections.OrderedDict"],
     [("forbidden-name", 2)]),
    ("import collections\ncollections.OrderedDict.fromkeys([1])\n", ["collections.OrderedDict"],
     [("forbidden-name", 2)]),
    ("from functools import lru_cache as memo\n", ["functools.lru_cache"], [("forbidden-import", 1)]),
    ("import functools as ft\n@ft.lru_cache(maxsize=None)\ndef f(): pass\n", ["functools.lru_cache"],
     [("forbidden-name", 2)]),
    ("import queue as q\nq.PriorityQueue()\n", ["queue.PriorityQueue"], [("forbidden-name", 2)]),
    ("from heapq import heappush as push\n", ["heapq"], [("forbidden-import", 1)]),
    ("from importlib import import_module as im\nim('heapq')\n", ["heapq"], [("forbidden-import", 2)]),
    ("from importlib import import_module\nimport_module('heapq')\n", ["heapq"], [("forbidden-import", 2)]),
    ("import builtins\nbuiltins.__import__('heapq')\n", ["heapq"], [("forbidden-import", 2)]),
    ("exec('import heapq')\n", ["heapq"], [("forbidden-import", 1)]),
    ("import builtins as b\nb.sorted([1])\n", ["sorted"], [("forbidden-name", 2)]),
    ("from builtins import sorted as s\n", ["sorted"], [("forbidden-import", 1)]),
    ("import builtins\ngetattr(builtins, 'sorted')([1])\n", ["sorted"], [("forbidden-name", 2)]),
    ("a = []\ngetattr(a, 'sort')()\n", ["list.sort"], [("forbidden-call", 2)]),
    ("from .collections import OrderedDict\n", ["collections.OrderedDict"], []),   # the submission's own
])
def test_forbidden_names_are_found_through_aliases(source, forbidden, expected):
    assert findings(source, forbidden) == expected


# -- interference with the grader, for every challenge ------------------------------------------

INTERFERES = "interferes-with-grader"


def interference(source):
    """(line, detail) of the interference findings, with no forbidden names at all."""
    trees = {"solution.py": ast.parse(textwrap.dedent(source))}
    return [(f.line, f.detail) for f in check(trees, []) if f.rule == INTERFERES]


@pytest.mark.parametrize("source, line, words", [
    # the agent, its module and the table of modules
    ("import sys\nsys.modules['__main__'].Agent.op_bench_run = lambda *a: 0\n", 2, "sys.modules"),
    ("import sys\nm = sys.modules.get('__main__')\n", 2, "sys.modules"),
    ("from sys import modules as loaded\n", 1, "sys.modules"),
    ("import sys as s\ns.modules.clear()\n", 2, "sys.modules"),
    ("import sys\nalias = sys\nalias.modules\n", 3, "sys.modules"),
    ("import __main__\n", 1, "__main__"),
    ("from __main__ import Agent\n", 1, "__main__"),
    ("x = __main__\n", 1, "__main__"),
    # stack frames
    ("import sys\nname = sys._getframe(1).f_globals['__name__']\n", 2, "sys._getframe walks the caller's stack frames"),
    ("import sys\nname = sys._getframe(1).f_globals['__name__']\n", 2, "f_globals"),
    ("import sys as s\ns._getframe()\n", 2, "sys._getframe"),
    ("from sys import _getframe as g\ng()\n", 1, "sys._getframe"),
    ("getattr(__import__('sys'), '_getframe')(0)\n", 1, "sys._getframe"),
    ("import sys\nsys._current_frames()\n", 2, "sys._current_frames"),
    ("def f(frame):\n    return frame.f_back\n", 2, "f_back"),
    ("def f(frame):\n    return frame.f_locals\n", 2, "f_locals"),
    ("def f(frame):\n    return getattr(frame, 'f_back')\n", 2, "f_back"),
    ("try:\n    1 / 0\nexcept Exception as e:\n    e.__traceback__.tb_frame\n", 4, "tb_frame"),
    ("def g():\n    yield 1\ng().gi_frame\n", 3, "gi_frame"),
    ("async def c():\n    pass\nc().cr_frame\n", 3, "cr_frame"),
    ("import traceback\nfor frame, line in traceback.walk_stack(None): pass\n", 2, "traceback.walk_stack"),
    # tracers and profilers
    ("import sys\nsys.settrace(lambda *a: None)\n", 2, "sys.settrace"),
    ("import sys\nsys.setprofile(None)\n", 2, "sys.setprofile"),
    ("import threading\nthreading.settrace(print)\n", 2, "threading.settrace"),
    ("from threading import setprofile as p\n", 1, "threading.setprofile"),
    ("import pdb\n", 1, "pdb"),
    # inspect, but for its predicates
    ("import inspect\ninspect.stack()\n", 2, "inspect.stack"),
    ("import inspect\ninspect.currentframe().f_back\n", 2, "inspect.currentframe"),
    ("import inspect as i\ni.getouterframes(None)\n", 2, "inspect.getouterframes"),
    ("from inspect import stack\n", 1, "inspect.stack"),
    ("from inspect import getmembers as members\n", 1, "inspect.getmembers"),
    ("from inspect import *\n", 1, "from inspect import *"),
    # the garbage collector's object lists
    ("import gc\ngc.get_objects()\n", 2, "gc.get_objects"),
    ("import gc\ngc.get_referrers(object())\n", 2, "gc.get_referrers"),
    ("from gc import get_referents\n", 1, "gc.get_referents"),
    ("import gc as g\n[o for o in g.get_objects() if type(o).__name__ == 'Agent']\n", 2, "gc.get_objects"),
    # functions' code, globals and builtins
    ("def f(): pass\ndef g(): pass\nf.__code__ = g.__code__\n", 3, "assigning __code__"),
    ("def f(): pass\nsetattr(f, '__code__', None)\n", 2, "assigning __code__"),
    ("def wrap(func):\n    return func.__globals__\n", 2, "__globals__"),
    ("__builtins__['len'] = None\n", 1, "__builtins__"),
    ("globals()['__builtins__']\n", 1, "__builtins__"),
    ("object.__subclasses__()\n", 1, "__subclasses__"),
    # memory, raw memory, limits, signals, /proc
    ("import ctypes\n", 1, "ctypes"),
    ("import ctypes as c\n", 1, "ctypes"),
    ("from ctypes import pythonapi\n", 1, "ctypes"),
    ("import tracemalloc\ntracemalloc.reset_peak()\n", 1, "tracemalloc"),
    ("import resource\n", 1, "resource"),
    ("import signal\n", 1, "signal"),
    ("import os\nos.kill(os.getppid(), 9)\n", 2, "os.kill"),
    ("from os import kill\n", 1, "os.kill"),
    ("open('/proc/self/clear_refs', 'w').write('5')\n", 1, "clear_refs"),
    ("open('/proc/self/status').read()\n", 1, "/proc"),
    ("pid = 1\nopen(f'/proc/{pid}/status')\n", 2, "/proc"),
    # the standard library and builtins, rewritten
    ("import random\nrandom.Random = object\n", 2, "assigning random.Random"),
    ("import time\ntime.perf_counter = lambda: 0.0\n", 2, "assigning time.perf_counter"),
    ("import time as t\nt.perf_counter = lambda: 0.0\n", 2, "assigning time.perf_counter"),
    ("import time\nsetattr(time, 'perf_counter', lambda: 0.0)\n", 2, "assigning time.perf_counter"),
    ("import time\ndelattr(time, 'sleep')\n", 2, "deleting time.sleep"),
    ("import time\ntime.__dict__['perf_counter'] = None\n", 2, "time.__dict__"),
    ("import time\nvars(time)['perf_counter'] = None\n", 2, "vars(time)"),
    ("from random import Random\nRandom.random = lambda self: 0.5\n", 2, "assigning random.Random.random"),
    ("import builtins\nbuiltins.len = lambda x: 0\n", 2, "assigning builtins.len"),
    ("import builtins as b\nsetattr(b, 'print', None)\n", 2, "assigning builtins.print"),
    ("import importlib\nimportlib.reload(importlib)\n", 2, "importlib.reload"),
    ("from importlib import reload\n", 1, "importlib.reload"),
    # the import path
    ("import sys\nsys.path.insert(0, '/tmp')\n", 2, "sys.path"),
    ("import sys\nsys.path.append('/tmp')\n", 2, "sys.path"),
    ("import sys\nsys.path = ['/tmp']\n", 2, "sys.path"),
    ("import sys\nsys.path[:0] = ['/tmp']\n", 2, "sys.path"),
    ("import sys\nsys.meta_path.insert(0, object())\n", 2, "sys.meta_path"),
    # names that hide what they reach
    ("__import__('c' + 'types')\n", 1, "computed module name"),
    ("import importlib\nimportlib.import_module(''.join(['ct', 'ypes']))\n", 2, "computed module name"),
    ("from importlib import import_module as im\nim(name)\n", 2, "computed module name"),
    ("loader = __import__\n", 1, "computed module name"),
    ("__import__('ctypes')\n", 1, "ctypes"),
    ("import importlib\nimportlib.import_module('tracemalloc')\n", 2, "tracemalloc"),
    ("exec('import ctypes')\n", 1, "ctypes"),
    ("exec('imp' + 'ort ctypes')\n", 1, "runs code built at run time"),
    ("run = eval\n", 1, "runs code built at run time"),
    ("import sys\ngetattr(sys, '_get' + 'frame')\n", 2, "computed attribute of sys"),
    ("exec('exec(\\'import ctypes\\')')\n", 1, "ctypes"),
    ("__import__('sys').modules\n", 1, "sys.modules"),
    ("import sys\ndef f(s=sys):\n    return s._getframe()\n", 3, "sys._getframe"),
    ("exec = exec\nexec(source)\n", 2, "runs code built at run time"),
    ("import sys\nhasattr(sys, '_getframe')\n", 2, "sys._getframe"),
    ("from sys import *\n", 1, "sys.modules"),
])
def test_code_that_reaches_into_the_grader_is_reported(source, line, words):
    found = interference(source)
    assert any(at == line and words in detail for at, detail in found), found
    assert all(detail.startswith("interferes with the grader: ") for _, detail in found)


def test_interference_is_reported_even_with_forbidden_names_and_keeps_its_file_and_line():
    trees = {"solution.py": ast.parse("import helper\n"),
             "helper.py": ast.parse("import heapq\nimport sys\n\nframe = sys._getframe(1)\n")}
    assert [(f.rule, f.file, f.line, f.detail) for f in check(trees, ["heapq"])] == [
        ("forbidden-import", "helper.py", 1, "heapq is not allowed: import heapq"),
        (INTERFERES, "helper.py", 4, "interferes with the grader: sys._getframe walks the caller's stack frames"),
    ]


def test_one_finding_per_thing_and_line_and_at_most_twenty_per_rule_and_file():
    assert len(interference("import sys\nsys.modules.get('x') or sys.modules.get('y')\n")) == 1
    source = "import sys\n" + "sys._getframe()\n" * 30
    found = interference(source)
    assert len(found) == 20 and [line for line, _ in found] == list(range(2, 22))
    assert found[-1][1].endswith("(and 10 more interferes-with-grader findings in solution.py)")
    assert len(interference("import sys\n" + "sys._getframe()\n" * 20)) == 20


def test_code_nested_too_deeply_to_read_is_reported_not_a_crash():
    found = interference("import sys\nx = sys" + ".a" * 2000 + "\n")
    assert found == [(1, "interferes with the grader: the code is nested too deeply for the rules to read it "
                         "(simplify it)")]


def test_importing_an_importer_is_not_itself_reported():
    assert interference("from importlib import import_module\nimport importlib\nimport builtins\n") == []


# -- files named like a standard module ---------------------------------------------------------

@pytest.mark.parametrize("path, shown, module", [
    ("random.py", "random.py", "random"),
    ("time.py", "time.py", "time"),
    ("json.py", "json.py", "json"),
    ("logging.py", "logging.py", "logging"),
    ("json/__init__.py", "json/", "json"),
])
def test_a_file_named_like_a_standard_module_is_reported(path, shown, module):
    trees = {"solution.py": ast.parse(f"import {module}\n"), path: ast.parse("x = 1\n")}
    [finding] = check(trees, [])
    assert (finding.rule, finding.file, finding.line) == ("shadows-standard-library", path, 1)
    assert finding.detail == (f"{shown} has the name of a standard-library module; it is not imported in place "
                              f"of `{module}` (rename it)")


def test_a_package_named_like_a_standard_module_is_reported_once():
    trees = {"solution.py": ast.parse(""), "json/__init__.py": ast.parse(""), "json/decoder.py": ast.parse("")}
    assert [(f.rule, f.file) for f in check(trees, [])] == [("shadows-standard-library", "json/__init__.py")]


def test_helpers_with_their_own_names_and_nested_modules_are_not_shadows():
    trees = {"solution.py": ast.parse(""), "helpers.py": ast.parse(""), "util/random.py": ast.parse(""),
             "my_json.py": ast.parse("")}
    assert check(trees, []) == []


# -- what is not interference -------------------------------------------------------------------

@pytest.mark.parametrize("source", [
    "from collections import deque\nq = deque()\nq.appendleft(1)\n",
    "import gc\ngc.collect()\ngc.disable()\ngc.enable()\n",
    "import time\nstart = time.perf_counter()\nelapsed = time.perf_counter() - start\n",
    "import logging\nlogger = logging.getLogger('timer')\nlogger.propagate = False\nlogger.info('x')\n",
    "import functools\ndef deco(f):\n    @functools.wraps(f)\n    def w(*a):\n        return f(*a)\n"
    "    w.calls = 0\n    return w\n",
    "import inspect\ninspect.iscoroutinefunction(len)\ninspect.signature(len)\n",
    "from inspect import iscoroutinefunction, isawaitable\n",
    "import asyncio\nasyncio.iscoroutinefunction(len)\n",
    "import sys\nsys.setrecursionlimit(10_000)\nsys.getsizeof([])\nsys.maxsize\n",
    "if __name__ == '__main__':\n    print('proc')\n",
    "import os\nos.path.join('a', 'b')\n",
    "class Node:\n    pass\nnext = Node()\nnext.next = None\n",
    "import time\ndef f(time=None):\n    return time\n",
    "__import__('json').dumps([1])\n",
    "def f(func):\n    return func.__code__.co_flags\n",
    "import re\npattern = re.compile('x')\n",
    "import random\nrng = random.Random(0)\nrng.shuffle([1, 2])\n",
    "x = '/processes and /procedure'\n",
    "from typing import Iterable\nfrom collections import Counter\n",
    "exec('x = 1')\n",
])
def test_ordinary_code_is_not_reported(source):
    assert check({"solution.py": ast.parse(source)}, []) == []


ROOT = pathlib.Path(__file__).resolve().parents[1]
REFERENCES = sorted(ROOT.glob("reference/*/solution.py"))


def forbidden_of(slug):
    with open(ROOT / "challenges" / slug / "challenge.toml", "rb") as toml:
        return tomllib.load(toml).get("rules", {}).get("forbidden", [])


@pytest.mark.parametrize("solution", REFERENCES, ids=lambda path: path.parent.name)
def test_every_reference_solution_breaks_no_rule(solution):
    slug = solution.parent.name
    assert check({"solution.py": ast.parse(solution.read_text())}, forbidden_of(slug)) == []


def test_there_are_reference_solutions_to_check():
    assert len(REFERENCES) >= 11


@pytest.mark.parametrize("path", sorted(ROOT.glob("reference/*/mutants/*.py")) + sorted(
    ROOT.glob("reference/*/mutants/bonus/*.py")) + sorted(
    ROOT.glob("challenges/*/stub/*.py")), ids=lambda path: "/".join(path.parts[-3:]))
def test_mutants_and_stubs_do_not_interfere_with_the_grader(path):
    assert check({"solution.py": ast.parse(path.read_text())}, []) == []
