"""The AST check of forbidden names."""

import ast
import textwrap

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
