"""The static rules: forbidden names, interference with the grader, files named like standard modules."""

import ast
import json
import pathlib
import subprocess
import sys
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


# -- the agent's protocol channel and a second copy of the agent -----------------------------------

FD = "reads or writes a raw file descriptor (the grader's protocol channel)"


@pytest.mark.parametrize("source, line, words", [
    # raw file descriptors: read, write, copy, open as a file
    ("import os\nrequest = os.read(3, 1 << 16)\n", 2, f"os.read {FD}"),
    ("import os\nos.write(4, b'{}')\n", 2, f"os.write {FD}"),
    ("from os import write as w\nw(4, b'')\n", 1, "os.write"),
    ("import os as o\no.pwrite(4, b'', 0)\n", 2, "os.pwrite"),
    ("import os\nos.writev(4, [b''])\n", 2, "os.writev"),
    ("import os\nos.sendfile(4, 0, 0, 1)\n", 2, "os.sendfile"),
    ("import os\nchannel = os.fdopen(3)\n", 2, "os.fdopen opens a raw file descriptor as a file"),
    ("import os\nos.dup2(3, 0)\n", 2, "os.dup2 copies or changes a raw file descriptor"),
    ("import os, sys\nfd = os.dup(sys.stdin.fileno())\n", 2, "os.dup"),
    ("import os, sys\nfd = os.dup(sys.stdin.fileno())\n", 2, "fileno takes the raw file descriptor"),
    ("import os\nos.set_inheritable(4, True)\n", 2, "os.set_inheritable"),
    ("import io\nreplies = io.FileIO(4, 'wb')\n", 2, "io.FileIO(4) opens a raw file descriptor as a file"),
    ("from io import FileIO\nFileIO(3)\n", 2, "io.FileIO(3)"),
    ("import io\nio.FileIO('/tmp/x', 'wb')\n", 2, "io.FileIO opens an unbuffered raw file"),
    ("requests = open(3, 'rb')\n", 1, "open(3) opens a raw file descriptor as a file"),
    ("import io\nio.open(4, 'wb')\n", 2, "io.open(4)"),
    ("import builtins\nbuiltins.open(4, 'wb')\n", 2, "open(4)"),
    ("import sys\nopen(sys.stdin.fileno())\n", 2, "open(sys.stdin.fileno())"),
    ("def f(path):\n    return open(path, 'wb')\n", 2, "open(path) may open a raw file descriptor"),
    ("class S(str):\n    def __index__(self):\n        return 4\nopen(S('x'), 'wb')\n", 4, "open(S('x'))"),
    ("open(*arguments)\n", 1, "open(*...)"),
    ("open('x', 'wb', opener=lambda path, flags: 4)\n", 1, "open(opener=...) gets a file descriptor from an opener"),
    ("f = open('/dev/null', 'rb', buffering=0)\ntype(f)(4, 'wb')\n", 1, "open(buffering=0)"),
    ("f = open('/dev/null', 'rb', buffering=0)\ntype(f)(4, 'wb')\n", 2, "builds a file from another file's class"),
    ("import functools\nreply = functools.partial(open, 4, 'wb')\n", 2, "open is passed on uncalled"),
    ("class Helper:\n    def open(self):\n        pass\nopen(4, 'wb')\n", 4, "open(4)"),   # not the file's own open
    ("import codecs\ncodecs.open(4, 'wb')\n", 2, "codecs.open(4)"),
    ("import sys\ntype(sys.stdout.buffer)(4, 'wb')\n", 2, "sys.stdout.buffer reaches the raw file"),
    ("import sys\nsys.stderr.buffer.__init__(4, 'wb')\n", 2, "builds a file from another file's class"),
    ("import sys\nraw = sys.stdin.buffer.raw\n", 2, ".raw reaches the raw layer of a file"),
    ("class Channel:\n    def fileno(self):\n        return 4\n", 2, "a fileno() method lets the standard library"),
    ("import socket\nsocket.fromfd(3, socket.AF_UNIX, socket.SOCK_STREAM)\n", 2, "socket.fromfd"),
    ("import socket\nsocket.socket(fileno=4)\n", 2, "socket.socket(fileno=...)"),
    ("import posix\nposix.write(4, b'')\n", 1, "posix is the raw interface of os"),
    ("import _io\n", 1, "_io"),
    ("import fcntl\n", 1, "fcntl"),
    ("import os\nos.listdir('/proc/self/fd')\n", 2, "/proc"),
    ("import os\nos.listdir('/dev/fd')\n", 2, "the string '/dev/fd' names the process's raw file descriptors"),
    ("open('/dev/' + 'fd/4', 'wb')\n", 1, "/dev/fd"),
    ("import pathlib\npathlib.Path('/dev') / 'fd' / '4'\n", 2, "/dev/fd"),
    # processes, which inherit or reopen the channel
    ("import subprocess\n", 1, "subprocess starts a process, which can reach the grader's protocol channel"),
    ("import os\nos.system('cat >&4')\n", 2, "os.system starts a process"),
    ("import os\nos.posix_spawn('/bin/sh', ['sh'], {})\n", 2, "os.posix_spawn"),
    ("import multiprocessing.connection\n", 1, "multiprocessing"),
    ("import pty\n", 1, "pty"),
    # a second copy of the agent
    ("import runpy\n", 1, "runpy runs a module as a script"),
    ("import runpy\nrunpy.run_path('/grader-agent/agent.py', run_name='agent_copy')\n", 2,
     "the string '/grader-agent' names the grader's agent"),
    ("from importlib.machinery import SourceFileLoader\nSourceFileLoader('copy', path).load_module()\n", 1,
     "importlib.machinery loads a file as a module"),
    ("import importlib.util\nimportlib.util.spec_from_file_location('copy', path)\n", 2, "importlib.util"),
    ("import importlib\nimportlib.import_module('importlib.machinery')\n", 2, "importlib.machinery"),
    ("import _frozen_importlib_external\n", 1, "_frozen_importlib_external"),
    ("import pkgutil\npkgutil.resolve_name('os:write')\n", 1, "pkgutil"),
    ("loader = type(__loader__)('copy', path)\n", 1, "__loader__ reaches the loader of a module"),
    ("import json\njson.__spec__.loader\n", 2, "__spec__"),
    ("import grader_agent\n", 1, "grader_agent is the grader's agent"),
    ("name = 'grader_agent'\n", 1, "names the grader's agent"),
    ("folder = '/' + 'grader-' + 'agent'\n", 1, "names the grader's agent"),
    ("folder = 'tnega-redarg/'[::-1]\n", 1, "names the grader's agent"),
    ("folder = ''.join(['/grader', '-agent'])\n", 1, "names the grader's agent"),
    ("part = '-agent'\nfolder = f'/grader{part}'\n", 2, "names the grader's agent"),
    ("import os\nos.path.join(folder, 'agent.py')\n", 2, "the string 'agent.py' names the grader's agent"),
    ("import code\ncode.InteractiveInterpreter().runsource(source)\n", 1, "code compiles and runs code strings"),
    # names that hide what they reach
    ("import operator, os\noperator.attrgetter('write')(os)(4, b'')\n", 2, "os.write"),
    ("import operator, os\nwrite = list(map(operator.attrgetter('write'), [os]))[0]\n", 2,
     "operator.attrgetter('write') reaches an attribute the grader's rules watch"),
    ("import operator, os\noperator.methodcaller('write', 4, b'')(os)\n", 2, "os.write"),
    ("import os\nos.__getattribute__('write')(4, b'')\n", 2, "os.write"),
    ("import os\nobject.__getattribute__(os, 'wr' + 'ite')\n", 2, "computed attribute of os"),
    ("import os\nos.__getattribute__(name)\n", 2, "computed attribute of os"),
    ("import io\ngetattr(io, 'FileIO')(4, 'wb')\n", 2, "io.FileIO(4)"),
    ("import os\nobject.__getattribute__(os, 'write')(4, b'')\n", 2, "os.write"),
    ("def helper(getattr):\n    pass\nimport sys\ngetattr(sys, '_getframe')(0)\n", 4, "sys._getframe"),
    ("from io import *\n", 1, "from io import * brings in io.FileIO, io.open"),
])
def test_code_that_reaches_the_protocol_channel_or_a_second_agent_is_reported(source, line, words):
    found = interference(source)
    assert any(at == line and words in detail for at, detail in found), found
    assert all(detail.startswith("interferes with the grader: ") for _, detail in found)


TAKEOVER = """
import io, json, os, runpy

copy = runpy.run_path("/grader-agent/agent.py", run_name="agent_copy")
requests = os.fdopen(3, "rb", buffering=0)
replies = io.FileIO(4, "wb")
request = json.loads(requests.readline())
os.write(4, json.dumps({"id": request["id"], "ok": True}).encode() + b"\\n")


def reverse_string(s):
    return s
"""


def test_the_protocol_channel_takeover_is_reported_at_each_step():
    found = interference(TAKEOVER)
    for line, words in [(2, "runpy"), (4, "/grader-agent"), (5, "os.fdopen"),
                        (6, "io.FileIO(4)"), (8, "os.write")]:
        assert any(at == line and words in detail for at, detail in found), (line, words, found)


def test_a_takeover_submission_fails_with_score_zero_end_to_end(tmp_path):
    (tmp_path / "solution.py").write_text("import os\nos.write(4, b'')\n\n\ndef reverse_string(s):\n"
                                          "    return s[::-1]\n")
    result = subprocess.run([sys.executable, "-m", "grader", "submit", str(tmp_path), "--challenge",
                             "reverse-string", "--sandbox", "process", "--no-complexity", "--format", "json"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    report = json.loads(result.stdout)
    assert (report["verdict"], report["score"]) == ("fail", 0), report["message"]
    assert [(f["rule"], f["line"]) for f in report["rules"]] == [(INTERFERES, 2)]
    assert "os.write reads or writes a raw file descriptor" in report["rules"][0]["detail"]


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
    # what real solutions do with files, streams and strings
    "print('x')\nx = input()\n",
    "import sys\nsys.stdout.write('x')\nsys.stdout.flush()\nprint('y', file=sys.stderr)\nsys.stdin.readline()\n",
    "import sys\nsys.stdout.buffer.write(b'x')\n",
    "with open('file.txt') as f:\n    data = f.read()\nwith open('out.txt', 'w', encoding='utf-8') as g:\n"
    "    g.write(data)\n",
    "NAME = 'data.txt'\nwith open(NAME, 'rb') as f:\n    f.read()\nopen(f'{NAME}.{1}')\nopen('a' + NAME)\n",
    "import os\nHERE = os.path.dirname(os.path.abspath(__file__))\nopen(os.path.join(HERE, 'data.txt'))\n",
    "import pathlib\np = pathlib.Path(__file__).parent / 'data.txt'\nopen(p)\np.read_text()\n",
    "import io\nbuffer = io.StringIO()\nbuffer.write('x')\nio.BytesIO(b'abc').read()\n",
    "import os\nos.path.join('a', 'b')\nos.path.exists('x')\nos.getcwd()\nos.environ.get('HOME')\n",
    "s = 'abc'[::-1]\nt = '-'.join(['a', 'b'])\nu = '%s-%s' % ('a', 'b')\nv = f'{s}:{t}'\n",
    "class Node:\n    def __init__(self, value):\n        self.value = value\n    def copy(self):\n"
    "        return type(self)(0)\n    def again(self):\n        return self.__class__(1)\n",
    "class Base:\n    def __init__(self, x):\n        self.x = x\nclass Child(Base):\n    def __init__(self, x):\n"
    "        super().__init__(x)\n        Base.__init__(self, x)\n    def reset(self):\n        self.__init__(0)\n",
    "class Buffer:\n    def __init__(self):\n        self.raw = []\n    def detach(self):\n        return self.raw\n"
    "Buffer().raw.append(1)\nBuffer().detach()\n",
    "import operator\nkey = operator.attrgetter('value')\nsorted([], key=operator.itemgetter(0))\n",
    "import concurrent.futures, threading\nwith concurrent.futures.ThreadPoolExecutor() as pool:\n    pass\n",
    "class Proxy:\n    def __getattr__(self, name):\n        return getattr(self._target, name)\n",
    "path = 'agents.py and my_agent.py'\n",
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


# -- syntax and attributes (hash-map forbids dict and set displays and __dict__) ----------------

HASH_MAP_SYNTAX = ["syntax:dict-display", "syntax:set-display", "syntax:dict-comprehension",
                   "syntax:set-comprehension", ".__dict__"]


@pytest.mark.parametrize("source, expected", [
    ("d = {}\n", [("forbidden-syntax", 1)]),
    ("x = 1\nd = {'a': 1}\n", [("forbidden-syntax", 2)]),
    ("d = {**other}\n", [("forbidden-syntax", 1)]),
    ("s = {1, 2}\n", [("forbidden-syntax", 1)]),
    ("s = {*xs}\n", [("forbidden-syntax", 1)]),
    ("d = {k: v for k, v in pairs}\n", [("forbidden-syntax", 1)]),
    ("s = {x for x in xs}\n", [("forbidden-syntax", 1)]),
    ("def f():\n    return [{}]\n", [("forbidden-syntax", 2)]),
    ("exec('d = {}')\n", [("forbidden-syntax", 1)]),
    ("class A:\n    pass\nA().__dict__['k'] = 1\n", [("forbidden-attribute", 3)]),
    ("o = object()\nentries = o.__dict__\n", [("forbidden-attribute", 2)]),
    ("entries = getattr(o, '__dict__')\n", [("forbidden-attribute", 1)]),
    # Lists, tuples, comprehensions of lists, generator expressions, f-strings and **kwargs are fine.
    ("b = [[] for _ in range(8)]\nt = (1, 2)\ng = sum(x for x in b)\nf'{t}'\ndef f(**kw): pass\n", []),
    ("dict_display = 'the name of a variable'\nx.dict = 1\n", []),
])
def test_forbidden_syntax_and_attributes_are_found_with_their_line(source, expected):
    assert findings(source, HASH_MAP_SYNTAX) == expected


def test_each_syntax_entry_forbids_only_its_own_syntax():
    source = "a = {}\nb = {1}\nc = {k: 1 for k in a}\nd = {k for k in a}\n"
    for line, entry in enumerate(HASH_MAP_SYNTAX[:4], start=1):
        assert findings(source, [entry]) == [("forbidden-syntax", line)]


def test_a_syntax_finding_says_what_it_found():
    [finding] = check({"solution.py": ast.parse("table = {1: 2}\n")}, ["syntax:dict-display"])
    assert finding.detail == "syntax:dict-display is not allowed: a dict display: {1: 2}"


def test_an_unknown_syntax_entry_is_refused():
    with pytest.raises(ValueError, match="syntax:dict-display"):
        check({"solution.py": ast.parse("x = 1\n")}, ["syntax:dict-literal"])


def test_syntax_rules_are_not_applied_without_the_entry():
    assert findings("d = {}\ns = {1}\nx = o.__dict__\n", ["dict"]) == []
