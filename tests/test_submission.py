"""Reading and checking a submission before anything runs."""

import os
from pathlib import Path

import pytest

from grader.submission import SubmissionProblem, load, submission_hash


def problem(folder) -> SubmissionProblem:
    with pytest.raises(SubmissionProblem) as caught:
        load(Path(folder))
    return caught.value


def test_missing_solution_says_what_file_is_needed(tmp_path):
    assert "There is no solution.py" in problem(tmp_path).message


def test_a_folder_named_solution_py_is_refused(tmp_path):
    (tmp_path / "solution.py").mkdir()
    assert "is a folder, not a file" in problem(tmp_path).message


def test_unreadable_file_is_reported(tmp_path, monkeypatch):
    (tmp_path / "solution.py").write_text("x = 1\n")
    real_open = open

    def deny(path, *args, **kwargs):
        if str(path).endswith("solution.py"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", deny)
    assert "cannot be read (permission denied)" in problem(tmp_path).message


def test_invalid_utf8_names_the_line(tmp_path):
    (tmp_path / "solution.py").write_bytes(b"x = 1\ny = '\xff'\n")
    found = problem(tmp_path)
    assert "not valid UTF-8" in found.message and found.line == 2


def test_syntax_error_names_the_line(tmp_path):
    (tmp_path / "solution.py").write_text("def f(:\n    pass\n")
    found = problem(tmp_path)
    assert "syntax error at line 1" in found.message and found.line == 1


def test_null_bytes_are_a_clear_problem(tmp_path):
    (tmp_path / "solution.py").write_bytes(b"x = 1\x00\n")
    assert "solution.py" in problem(tmp_path).message


def test_symlink_pointing_outside_is_refused(tmp_path):
    secret = tmp_path / "secret.py"
    secret.write_text("TOKEN = 'x'\n")
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / "solution.py").write_text("import helper\n")
    os.symlink(secret, folder / "helper.py")
    assert "points outside the submission" in problem(folder).message


def test_symlinked_folder_pointing_outside_is_refused(tmp_path):
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / "solution.py").write_text("x = 1\n")
    os.symlink("/etc", folder / "etc")
    assert "points outside the submission" in problem(folder).message


def test_symlink_inside_the_submission_is_fine(tmp_path):
    (tmp_path / "real.py").write_text("x = 1\n")
    os.symlink(tmp_path / "real.py", tmp_path / "solution.py")
    assert load(tmp_path).files["solution.py"] == b"x = 1\n"


def test_helper_modules_are_carried_and_caches_skipped(tmp_path):
    (tmp_path / "solution.py").write_text("import helper\n")
    (tmp_path / "helper.py").write_text("y = 2\n")
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "junk.py").write_text("z = 3\n")
    assert sorted(load(tmp_path).files) == ["helper.py", "solution.py"]


def test_a_single_file_is_graded_as_solution_py(tmp_path):
    (tmp_path / "mine.py").write_text("x = 1\n")
    assert list(load(tmp_path / "mine.py").files) == ["solution.py"]


def test_hash_depends_on_names_and_bytes_only():
    assert submission_hash({"a.py": b"1", "b.py": b"2"}) == submission_hash({"b.py": b"2", "a.py": b"1"})
    assert submission_hash({"a.py": b"1"}) != submission_hash({"b.py": b"1"})
