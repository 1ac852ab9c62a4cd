"""A hostile submission folder is read defensively: named pipes, devices and
sockets, file names that are not UTF-8, folders nested a thousand deep, a
million files, code nested past what the rules can walk and a flood of rule
findings each give a clear problem (or a small report), never a crash or a
hang of the grader."""

import ast
import contextlib
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader import rules, submission
from grader.rules import check
from grader.submission import SubmissionProblem, load, read_files, submission_hash

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = (ROOT / "reference" / "reverse-string" / "solution.py").read_text()


class Hung(Exception):
    pass


@contextlib.contextmanager
def deadline(seconds: float):
    """Fail (instead of hanging the test run) when the block takes longer; a
    blocking open() of a named pipe is interrupted by the alarm."""
    def expired(signum, frame):
        raise Hung(f"still running after {seconds} s")
    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def problem(path, seconds: float = 10) -> str:
    with deadline(seconds), pytest.raises(SubmissionProblem) as caught:
        load(Path(path))
    message = caught.value.message
    assert "\n" not in message
    return message


def good(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "solution.py").write_text(REFERENCE)
    return folder


def nested_folders(root: Path, levels: int, name: str = "d") -> Path:
    """``levels`` folders one inside the other (os.makedirs itself recurses too deep for 1,100)."""
    current = root
    for _ in range(levels):
        current = current / name
        os.mkdir(current)
    return current


@pytest.fixture
def deep_tree_cleanup():
    """Remove deep trees leaf first: shutil.rmtree (pytest's clean-up) recurses once per level."""
    leaves = []
    yield leaves.append
    for leaf, root in leaves:
        current = leaf
        while current != root:
            for entry in os.listdir(current):
                os.unlink(current / entry)
            os.rmdir(current)
            current = current.parent


# -- 1. only regular files are opened ------------------------------------------------------------

def test_a_named_pipe_beside_solution_is_refused_not_waited_on(tmp_path):
    good(tmp_path)
    os.mkfifo(tmp_path / "helper.py")
    message = problem(tmp_path)
    assert message.startswith("helper.py is not a regular file (a named pipe)")
    assert "ordinary files" in message


def test_solution_py_itself_as_a_named_pipe_is_refused(tmp_path):
    os.mkfifo(tmp_path / "solution.py")
    assert problem(tmp_path).startswith("solution.py is not a regular file (a named pipe)")


def test_a_symlink_to_a_named_pipe_inside_is_refused(tmp_path):
    good(tmp_path)
    os.mkfifo(tmp_path / "pipe")
    os.symlink(tmp_path / "pipe", tmp_path / "helper.py")
    assert problem(tmp_path).startswith("helper.py is not a regular file (a named pipe)")


def test_a_socket_is_refused(tmp_path, monkeypatch):
    good(tmp_path)
    monkeypatch.chdir(tmp_path)            # a socket's path is limited to about 100 bytes
    with socket.socket(socket.AF_UNIX) as server:
        server.bind("helper.py")
        assert problem(tmp_path).startswith("helper.py is not a regular file (a socket)")


def test_a_device_is_refused(tmp_path):
    good(tmp_path)
    try:
        os.mknod(tmp_path / "helper.py", stat.S_IFCHR | 0o600, os.makedev(1, 3))     # /dev/null
    except PermissionError:
        pytest.skip("creating a device needs root")
    assert problem(tmp_path).startswith("helper.py is not a regular file (a character device)")


def test_a_pipe_swapped_in_after_the_check_is_still_not_waited_on(tmp_path, monkeypatch):
    """The type is checked again on the open file: a pipe swapped in after lstat is neither waited on nor read."""
    good(tmp_path)
    os.mkfifo(tmp_path / "helper.py")
    regular = os.lstat(tmp_path / "solution.py")
    real_lstat = os.lstat
    monkeypatch.setattr(os, "lstat", lambda path, *a, **k: regular if str(path).endswith("helper.py")
                        else real_lstat(path, *a, **k))
    assert problem(tmp_path).startswith("helper.py is not a regular file (a named pipe)")


def test_symlinks_to_regular_files_inside_still_work(tmp_path):
    good(tmp_path)
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "real.py").write_text("y = 2\n")
    os.symlink("lib/real.py", tmp_path / "helper.py")
    assert load(tmp_path).files["helper.py"] == b"y = 2\n"


@pytest.mark.parametrize("name", ["helper.py", "lib"])
def test_a_symlink_loop_is_a_clear_problem_not_an_internal_error(tmp_path, name):
    good(tmp_path)
    os.symlink(name, tmp_path / name)                   # os.scandir's is_dir() raises ELOOP for it
    assert problem(tmp_path).startswith(f"{name} cannot be read: Too many levels of symbolic links.")


def test_a_huge_sparse_file_is_refused_by_its_size_without_reading_it(tmp_path):
    good(tmp_path)
    with open(tmp_path / "helper.py", "wb") as handle:
        handle.truncate(64 << 30)          # 64 GiB of nothing
    started = time.monotonic()
    assert "helper.py is 68719476736 bytes; the limit is" in problem(tmp_path)
    assert time.monotonic() - started < 5


# -- 2. file names that are not UTF-8 ------------------------------------------------------------

def test_a_file_name_that_is_not_utf8_is_a_clear_problem(tmp_path):
    good(tmp_path)
    Path(os.fsdecode(os.fsencode(tmp_path) + b"/\xff.py")).write_text("x = 1\n")
    message = problem(tmp_path)
    assert "\\xff.py" in message and "valid UTF-8" in message and "rename" in message


def test_a_folder_name_that_is_not_utf8_is_a_clear_problem(tmp_path):
    good(tmp_path)
    folder = Path(os.fsdecode(os.fsencode(tmp_path) + b"/pkg\xfe"))
    folder.mkdir()
    (folder / "mod.py").write_text("x = 1\n")
    assert "pkg\\xfe/mod.py" in problem(tmp_path)


def test_the_hash_never_crashes_on_a_name():
    assert len(submission_hash({"\udcff.py": b"x"})) == 64


# -- 3. folders nested deep, and a walk with no recursion ----------------------------------------

def test_eleven_hundred_nested_folders_are_refused_not_a_recursion_error(tmp_path, deep_tree_cleanup):
    good(tmp_path)
    leaf = nested_folders(tmp_path, 1100)
    deep_tree_cleanup((leaf, tmp_path))
    (leaf / "deep.py").write_text("x = 1\n")
    message = problem(tmp_path)
    assert f"nested more than {submission.MAX_FOLDER_DEPTH} levels deep" in message


def test_folders_up_to_the_depth_limit_are_read(tmp_path, deep_tree_cleanup):
    good(tmp_path)
    leaf = nested_folders(tmp_path, submission.MAX_FOLDER_DEPTH)
    deep_tree_cleanup((leaf, tmp_path))
    (leaf / "deep.py").write_text("x = 1\n")
    relative = "d/" * submission.MAX_FOLDER_DEPTH + "deep.py"
    assert load(tmp_path).files[relative] == b"x = 1\n"


def test_a_deep_tree_in_a_skipped_folder_is_not_even_walked(tmp_path, deep_tree_cleanup):
    good(tmp_path)
    (tmp_path / ".git").mkdir()
    leaf = nested_folders(tmp_path / ".git", 1100)
    deep_tree_cleanup((leaf, tmp_path / ".git"))
    (tmp_path / "helper.py").write_text("y = 2\n")
    assert sorted(load(tmp_path).files) == ["helper.py", "solution.py"]


def test_the_walk_keeps_its_order_and_rules(tmp_path):
    good(tmp_path)
    for name in ("b.py", "a.py", "pkg/z.py", "pkg/sub/y.py", "pkg/a.py", "__pycache__/c.py", ".hidden/d.py",
                 "node_modules/e.py", "notes.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x = 1\n")
    assert list(read_files(tmp_path)[1]) == ["solution.py", "a.py", "b.py", "pkg/a.py", "pkg/z.py", "pkg/sub/y.py"]


def test_a_symlinked_folder_inside_is_not_followed(tmp_path):
    good(tmp_path)
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "m.py").write_text("x = 1\n")
    os.symlink(tmp_path / "pkg", tmp_path / "alias")
    assert sorted(load(tmp_path).files) == ["pkg/m.py", "solution.py"]


# -- 6. many files: the entry cap ----------------------------------------------------------------

def test_a_hundred_thousand_files_are_refused_quickly(tmp_path):
    good(tmp_path)
    data = tmp_path / "data"
    data.mkdir()
    for index in range(100_000):
        os.close(os.open(data / f"{index}.txt", os.O_CREAT | os.O_WRONLY, 0o600))
    started = time.monotonic()
    message = problem(tmp_path)
    assert time.monotonic() - started < 5
    assert f"more than {submission.MAX_DIRECTORY_ENTRIES:,} files and folders" in message


def test_the_entry_cap_counts_every_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(submission, "MAX_DIRECTORY_ENTRIES", 20)
    good(tmp_path)
    for index in range(4):
        (tmp_path / f"p{index}").mkdir()
        for name in range(4):
            (tmp_path / f"p{index}" / f"{name}.txt").write_text("")
    assert "more than 20 files and folders" in problem(tmp_path)
    monkeypatch.setattr(submission, "MAX_DIRECTORY_ENTRIES", 21)
    assert list(load(tmp_path).files) == ["solution.py"]


# -- 4. code nested too deeply -------------------------------------------------------------------

def sum_of(terms: int) -> str:
    return REFERENCE + "\nX = " + " + ".join(["1"] * terms) + "\n"


def test_an_expression_of_1500_terms_is_too_deeply_nested_to_check(tmp_path):
    (tmp_path / "solution.py").write_text(sum_of(1500))
    line = REFERENCE.count("\n") + 2
    message = problem(tmp_path)
    assert message.startswith(f"solution.py is too deeply nested to check (line {line}")
    assert "split the expression or statement up" in message


def test_an_expression_of_50000_terms_is_too_deeply_nested_to_parse(tmp_path):
    (tmp_path / "solution.py").write_text(sum_of(50_000))     # 200 KB: within the size limit
    message = problem(tmp_path)
    assert message.startswith("solution.py is too deeply nested") and "split the expression" in message


@pytest.mark.parametrize("code", ["lambda: " * 25_000 + "1", "not " * 25_000 + "1", "2" + " ** 2" * 25_000])
def test_nesting_that_exhausts_the_parser_is_a_clear_problem(tmp_path, code):
    (tmp_path / "solution.py").write_text(f"X = {code}\n")
    message = problem(tmp_path)
    assert message.startswith("solution.py is too deeply nested") and "split the expression" in message


def test_three_hundred_nested_ifs_are_a_syntax_error(tmp_path):
    source = "".join(" " * level + "if x:\n" for level in range(300)) + " " * 300 + "pass\n"
    (tmp_path / "solution.py").write_text(source)
    assert "solution.py has a syntax error at line" in problem(tmp_path)


def test_deeply_nested_lists_are_a_syntax_error(tmp_path):
    (tmp_path / "solution.py").write_text("X = " + "[" * 5000 + "]" * 5000 + "\n")
    assert "too many nested parentheses" in problem(tmp_path)


def test_code_at_the_nesting_limit_is_checked_by_the_rules(tmp_path):
    limit = submission.MAX_NESTING_DEPTH
    (tmp_path / "solution.py").write_text("import sys\nX = sys" + ".a" * (limit - 4) + "\ny = sorted([1])\n")
    loaded = load(tmp_path)
    found = check(loaded.trees, ["sorted"])
    assert [(f.rule, f.line) for f in found] == [("forbidden-name", 3)]


def test_the_rules_walk_a_tree_deeper_than_the_recursion_limit():
    """The visitors keep their own stack: a hand-built tree 5,000 deep is still read (sorted at the bottom)."""
    node: ast.expr = ast.Call(ast.Name("sorted", ast.Load(), lineno=7), [], [], lineno=7)
    for _ in range(5000):
        node = ast.BinOp(ast.Constant(1, lineno=7), ast.Add(), node, lineno=7)
    tree = ast.Module([ast.Expr(node, lineno=7)], type_ignores=[])
    assert [(f.rule, f.line) for f in check({"solution.py": tree}, ["sorted"])] == [("forbidden-name", 7)]


def test_the_recursion_limit_is_left_alone(tmp_path):
    before = sys.getrecursionlimit()
    (tmp_path / "solution.py").write_text(sum_of(1500))
    problem(tmp_path)
    assert sys.getrecursionlimit() == before


# -- 5. the findings cap -------------------------------------------------------------------------

def test_a_megabyte_of_sorted_gives_a_small_bounded_list_of_findings():
    line = "y = sorted(x)\n"
    source = "x = [1]\n" + line * ((1 << 20) // len(line) - 1)
    trees = {"solution.py": ast.parse(source)}
    found = check(trees, ["sorted", "list.sort"])
    assert len(found) == rules.MAX_FINDINGS_PER_RULE
    assert found[-1].detail.endswith(f"(and {(1 << 20) // len(line) - 1 - 20:,} more forbidden-name findings "
                                     "in solution.py)")
    assert len(json.dumps([f.__dict__ for f in found])) < 10_000


def test_findings_are_capped_over_the_whole_submission():
    trees = {f"m{index:03}.py": ast.parse("y = sorted(x)\n" * 30) for index in range(200)}
    found = check(trees, ["sorted"])
    assert len(found) == rules.MAX_FINDINGS
    total = 200 * 30
    assert found[-1].detail.endswith(f"(and {total - rules.MAX_FINDINGS:,} more findings in the submission)")
    assert len(json.dumps([f.__dict__ for f in found])) < 20_000


def test_a_finding_quotes_a_short_piece_of_the_code():
    source = "import collections\nd = getattr(collections, 'OrderedDict', [" + "1, " * 100_000 + "])\n"
    found = check({"solution.py": ast.parse(source)}, ["collections.OrderedDict"])
    assert found and all(len(f.detail) < 300 for f in found)


# -- end to end: the CLI and the batch -----------------------------------------------------------

def grader(*args, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "grader", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "PYTHONPATH": str(ROOT)})


def hostile(folder: Path, kind: str, cleanup) -> Path:
    good(folder)
    if kind == "fifo":
        os.mkfifo(folder / "helper.py")
    elif kind == "bad-name":
        Path(os.fsdecode(os.fsencode(folder) + b"/\xff.py")).write_text("x = 1\n")
    elif kind == "deep-folders":
        leaf = nested_folders(folder, 1100)
        cleanup((leaf, folder))
    elif kind == "deep-code":
        (folder / "solution.py").write_text(sum_of(1500))
    elif kind == "many-files":
        (folder / "data").mkdir()
        for index in range(submission.MAX_DIRECTORY_ENTRIES + 10):
            os.close(os.open(folder / "data" / f"{index}", os.O_CREAT | os.O_WRONLY, 0o600))
    return folder


@pytest.mark.parametrize("kind, says", [
    ("fifo", "helper.py is not a regular file (a named pipe)"),
    ("bad-name", "valid UTF-8"),
    ("deep-folders", "levels deep"),
    ("deep-code", "too deeply nested to check"),
    ("many-files", "files and folders"),
])
def test_submit_gives_an_error_verdict_never_an_internal_error(tmp_path, deep_tree_cleanup, kind, says):
    folder = hostile(tmp_path / "sub", kind, deep_tree_cleanup)
    result = grader("submit", str(folder), "--challenge", "reverse-string", "--sandbox", "process",
                    "--no-complexity", "--format", "json", cwd=tmp_path)
    assert result.returncode in (1, 2), result.stderr
    report = json.loads(result.stdout)
    assert report["verdict"] == "error" and says in report["message"]


def test_a_batch_stores_the_hostile_submissions_as_errors_and_grades_the_rest(tmp_path, deep_tree_cleanup):
    root = tmp_path / "batchroot" / "reverse-string"
    good(root / "alice")
    for name, kind in (("mallory", "fifo"), ("trudy", "bad-name"), ("eve", "deep-folders")):
        hostile(root / name, kind, deep_tree_cleanup)
    result = grader("grade", "batchroot", "--sandbox", "process", "--no-complexity", "--db", "results.db",
                    "--format", "jsonl", "--output-dir", "out", cwd=tmp_path, timeout=120)
    assert result.returncode == 1, result.stderr
    reports = {Path(json.loads(line)["submission"]).name: json.loads(line)
               for line in (tmp_path / "out" / "results.jsonl").read_text().splitlines()}
    assert reports["alice"]["verdict"] == "pass"
    assert {name: reports[name]["verdict"] for name in ("mallory", "trudy", "eve")} == dict.fromkeys(
        ("mallory", "trudy", "eve"), "error")
    assert "not a regular file (a named pipe)" in reports["mallory"]["message"]
    assert "valid UTF-8" in reports["trudy"]["message"]
    assert "levels deep" in reports["eve"]["message"]


def test_a_folder_that_cannot_be_looked_into_is_a_clear_problem(tmp_path, monkeypatch):
    good(tmp_path)
    real_lstat = os.lstat

    def denied(path, *args, **kwargs):
        if str(path).endswith("solution.py"):
            raise PermissionError(13, "Permission denied")
        return real_lstat(path, *args, **kwargs)

    monkeypatch.setattr(os, "lstat", denied)
    assert problem(tmp_path).endswith("cannot be read: Permission denied. Make the folder readable, "
                                      "e.g. chmod u+rx on it.")
