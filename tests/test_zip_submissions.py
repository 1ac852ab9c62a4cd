"""``grader grade`` of candidates' zips: graded like the folders they hold,
labelled ``<zip>!/<folder>``, resumable across runs, unpacked into a private
temporary folder that is always removed, and a hostile zip refused whole
(nothing from it graded, nothing written outside the temporary folder).

Every grader here runs with TMPDIR set to a private folder of the test, so
the checks look only at this test's temporary folders."""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import stat
import struct
import subprocess
import sys
import tempfile
import time
import warnings
import zipfile
from pathlib import Path

import pytest

from grader.batch.archive import Unpacker, ZipRefused, split_label
from grader.batch.assessment_totals import candidate_of
from grader.batch.discover import discover
from grader.catalog import Catalog
from grader.constants import MAX_ZIP_ENTRIES
from grader.errors import UsageError
from tests.conftest import FIXTURE_CHALLENGES

ROOT = Path(__file__).resolve().parents[1]
CORRECT = (ROOT / "tests" / "fixtures" / "reference" / "adder" / "solution.py").read_bytes()
WRONG = (ROOT / "tests" / "fixtures" / "reference" / "adder" / "mutants" / "subtracts.py").read_bytes()
SLOW = b"import time\n" + CORRECT.replace(b"    return a + b", b"    time.sleep(5)\n    return a + b")
ASSESSMENT = """\
[assessment]
name = "Zip take-home"
seed = 5

[challenges.adder]
weight = 2
"""


# --- helpers ---------------------------------------------------------------------------------------------------

def make_zip(path: Path, entries: list, compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """``entries``: (name or ZipInfo, bytes); duplicates allowed (zipfile only warns)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(path, "w", compression) as archive:
            for name, data in entries:
                archive.writestr(name, data)
    return path


def patch_central(path: Path, name: str, **fields: int) -> Path:
    """Rewrite fields of ``name``'s central directory record (what zipfile
    and the checks read): flags, csize, usize (a lying header)."""
    offsets = {"flags": (8, "<H"), "csize": (20, "<I"), "usize": (24, "<I")}
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46:at + 46 + length] == name.encode():
            for field, value in fields.items():
                offset, fmt = offsets[field]
                if field == "flags":
                    value |= struct.unpack_from(fmt, data, at + offset)[0]
                struct.pack_into(fmt, data, at + offset, value)
            path.write_bytes(bytes(data))
            return path
        at = data.find(b"PK\x01\x02", at + 4)
    raise AssertionError(f"no entry {name}")


def rename_bytes(path: Path, old: bytes, new: bytes) -> Path:
    """Give an entry a name zipfile would not write (e.g. not UTF-8)."""
    assert len(old) == len(new)
    path.write_bytes(path.read_bytes().replace(old, new))
    return path


def info(name: str, mode: int) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name)
    entry.create_system = 3
    entry.external_attr = mode << 16
    return entry


def zeros_entry(path: Path, name: str, size: int) -> Path:
    """One highly compressible entry, written in chunks (200 MiB take ~1 s, and ~200 KiB of zip)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive, archive.open(name, "w") as out:
        chunk = bytes(1 << 20)
        for _ in range(size >> 20):
            out.write(chunk)
    return path


def files_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir())


def own_temporaries(tmpdir: Path) -> list[str]:
    return sorted(entry.name for entry in tmpdir.iterdir() if entry.name.startswith("grader-sandbox-"))


@pytest.fixture
def tmpdir_(tmp_path, monkeypatch) -> Path:
    """A private temporary folder for this process's Unpacker."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def unpacker(tmpdir_):
    with Unpacker(lambda name: name == "adder") as unpacking:
        yield unpacking
    assert own_temporaries(tmpdir_) == [], "the unpacked zips were not removed"


# --- refusals --------------------------------------------------------------------------------------------------

def _traversal(folder: Path, outside: Path) -> Path:
    # Enough '..' to reach / from any temporary folder, then down to ``outside``.
    escape = "../" * 40 + str(outside / "evil.py").lstrip("/")
    return make_zip(folder / "traversal.zip", [("adder/solution.py", CORRECT), (escape, b"print('pwned')\n")])


def _symlink(folder: Path, outside: Path) -> Path:
    # A link out of the zip, then a file written through it: an extractor that makes the link writes outside.
    return make_zip(folder / "symlink.zip", [(info("adder/link", stat.S_IFLNK | 0o777), str(outside).encode()),
                                             ("adder/link/evil.py", b"print('pwned')\n")])


def _absolute(folder: Path, outside: Path) -> Path:
    return make_zip(folder / "absolute.zip", [(str(outside / "evil.py"), b"x")])


HOSTILE = {
    "traversal": (_traversal, "'..' component"),
    "symlink": (_symlink, "'adder/link' is a symbolic link"),
    "absolute": (_absolute, "is an absolute path"),
    "inner-dotdot": (lambda d, o: make_zip(d / "z.zip", [("adder/../../evil.py", b"x")]), "'..' component"),
    "drive-letter": (lambda d, o: make_zip(d / "z.zip", [("C:/evil.py", b"x")]), "drive letter"),
    "backslash": (lambda d, o: make_zip(d / "z.zip", [("adder\\..\\..\\evil.py", b"x")]), "backslash"),
    "dot-component": (lambda d, o: make_zip(d / "z.zip", [("adder/./solution.py", CORRECT)]), "'.' component"),
    "fifo": (lambda d, o: make_zip(d / "z.zip", [(info("adder/pipe", stat.S_IFIFO | 0o644), b"")]),
             "not a regular file or a folder"),
    "device": (lambda d, o: make_zip(d / "z.zip", [(info("adder/sda", stat.S_IFBLK | 0o644), b"")]),
               "not a regular file or a folder"),
    "duplicate": (lambda d, o: make_zip(d / "z.zip", [("adder/solution.py", CORRECT), ("adder/solution.py", WRONG)]),
                  "'adder/solution.py' appears twice"),
    "case-collision": (lambda d, o: make_zip(d / "z.zip", [("adder/solution.py", CORRECT),
                                                            ("adder/SOLUTION.py", WRONG)]), "would be one file"),
    "unicode-collision": (lambda d, o: make_zip(d / "z.zip", [("adder/caf\u00e9.py", b""),
                                                               ("adder/cafe\u0301.py", b"")]), "in two Unicode forms"),
    "folder-collision": (lambda d, o: make_zip(d / "z.zip", [("Adder/x.py", b""), ("adder/solution.py", CORRECT)]),
                         "would be one folder"),
    "file-and-folder": (lambda d, o: make_zip(d / "z.zip", [("adder", b"x"), ("adder/solution.py", CORRECT)]),
                        "other entries are inside it"),
    "not-utf8": (lambda d, o: rename_bytes(make_zip(d / "z.zip", [("adder/~.py", b"")]), b"adder/~.py",
                                           b"adder/\xff.py"), "'adder/\\xff.py' is not valid UTF-8"),
    "utf8-flag-but-not": (lambda d, o: rename_bytes(make_zip(d / "z.zip", [("adder/\u00e9.py", b"")]),
                                                      "adder/\u00e9.py".encode(), b"adder/\xff\xfe.py"),
                            "'adder/\\xff\\xfe.py' is not valid UTF-8"),
    "encrypted": (lambda d, o: patch_central(make_zip(d / "z.zip", [("adder/solution.py", CORRECT)]),
                                             "adder/solution.py", flags=0x1), "is encrypted"),
    "bzip2": (lambda d, o: make_zip(d / "z.zip", [("adder/solution.py", CORRECT)], zipfile.ZIP_BZIP2),
              "compressed with method 12"),
    "too-many-entries": (lambda d, o: make_zip(d / "z.zip", [(f"f{i}", b"") for i in range(MAX_ZIP_ENTRIES + 1)]),
                         "10,001 entries; the limit is 10,000"),
    "huge-table": (lambda d, o: make_zip(d / "z.zip", [(f"{'d' * 240}/{i:06}", b"") for i in range(8000)]),
                   "its table of entries is"),
    "total-over-limit": (lambda d, o: _lying_total(d / "z.zip"), "over 64 MiB unpacked in all"),
    "entry-over-limit": (lambda d, o: zeros_entry(d / "z.zip", "adder/data.bin", 200 << 20),
                         "'adder/data.bin' is 209,715,200 bytes unpacked; the limit is 16 MiB"),
    "ratio-bomb": (lambda d, o: zeros_entry(d / "z.zip", "adder/data.bin", 10 << 20), "a zip bomb"),
    "lying-header-bomb": (lambda d, o: patch_central(zeros_entry(d / "z.zip", "adder/data.bin", 200 << 20),
                                                     "adder/data.bin", usize=2 << 20), "'adder/data.bin'"),
    "not-a-zip": (lambda d, o: _write(d / "z.zip", b"PK\x03\x04 this is not a zip at all"), "not a zip file"),
}


def _lying_total(path: Path) -> Path:
    make_zip(path, [(f"part{i}.txt", b"x") for i in range(5)], zipfile.ZIP_STORED)
    for i in range(5):     # 5 x 15 MiB claimed, none over the entry limit, no compression
        patch_central(path, f"part{i}.txt", usize=15 << 20, csize=15 << 20)
    return path


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_hostile_zip_is_refused_whole_and_writes_nothing_outside(tmp_path, tmpdir_, unpacker, kind):
    build, says = HOSTILE[kind]
    outside = tmp_path / "outside"
    outside.mkdir()
    archive = build(tmp_path / "given", outside)
    try:
        unpacker.unpack(archive)
        message = "(unpacked)"
    except ZipRefused as refused:
        message = str(refused)
    assert files_under(outside) == []                       # nothing escaped the temporary folder
    assert message.startswith(f"{archive} was not unpacked: ") and says in message, message
    assert [p for p in tmpdir_.rglob("*") if not p.is_dir()] == []    # and nothing of the zip stayed in it
    assert files_under(tmp_path / "given") == [archive.name]          # nor next to the zip


def test_a_refused_zip_is_an_error_result_and_the_other_candidates_are_graded(tmp_path, unpacker):
    catalog = Catalog([FIXTURE_CHALLENGES])
    subs = tmp_path / "subs"
    make_zip(subs / "alice.zip", [("adder/solution.py", CORRECT)])
    _symlink(subs, tmp_path)
    found = discover([subs], catalog, unpacker=unpacker)
    assert [(f.label, bool(f.problem)) for f in found] == [(f"{subs}/alice.zip!/adder", False),
                                                          (f"{subs}/symlink.zip!/adder", True)]
    assert "symlink.zip was not unpacked: its entry 'adder/link' is a symbolic link" in found[1].problem
    assert found[1].recorded_path == f"{subs.resolve()}/symlink.zip!/adder"
    with pytest.raises(UsageError, match="symbolic link.*nothing to grade"):      # alone, there is no challenge
        discover([subs / "symlink.zip"], catalog, unpacker=unpacker)
    assert discover([subs / "symlink.zip"], catalog, unpacker=unpacker, expected=("adder",))[0].problem


# --- what is unpacked ------------------------------------------------------------------------------------------

def test_a_single_top_folder_is_stripped_unless_it_is_a_submission_or_a_challenge(tmp_path, unpacker):
    wrapped = make_zip(tmp_path / "alice.zip", [("kit/grader.toml", b""), ("kit/adder/solution.py", CORRECT),
                                                ("__MACOSX/kit/adder/._solution.py", b"fork")])
    bare = make_zip(tmp_path / "bob.zip", [("grader.toml", b""), ("adder/solution.py", CORRECT)])
    challenge = make_zip(tmp_path / "carol.zip", [("adder/solution.py", CORRECT)])
    submission = make_zip(tmp_path / "dave.zip", [("work/solution.py", CORRECT)])
    for archive in (wrapped, bare):
        unpacked = unpacker.unpack(archive)
        assert files_under(unpacked.root) == ["adder/solution.py", "grader.toml"]
        assert unpacked.label(unpacked.root / "adder") == f"{archive}!/adder"
        assert unpacked.ignored == (f"{archive}!/grader.toml",)
    assert files_under(unpacker.unpack(challenge).root) == ["adder/solution.py"]
    assert files_under(unpacker.unpack(submission).root) == ["work/solution.py"]
    root = unpacker.unpack(wrapped).root
    assert stat.S_IMODE(root.stat().st_mode) == 0o700 and stat.S_IMODE((root / "adder" / "solution.py")
                                                                      .stat().st_mode) == 0o600


def test_a_zip_inside_the_zip_is_data_never_unpacked(tmp_path, unpacker):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("adder/solution.py", WRONG)
    outer = make_zip(tmp_path / "subs" / "alice.zip", [("adder/solution.py", CORRECT),
                                                       ("old/bob.zip", inner.getvalue())])
    found = discover([outer.parent], Catalog([FIXTURE_CHALLENGES]), unpacker=unpacker)
    assert [f.label for f in found] == [f"{outer}!/adder"]
    assert (unpacker.unpack(outer).root / "old" / "bob.zip").read_bytes() == inner.getvalue()


def test_a_zip_is_a_folder_named_after_it_for_the_challenge_layout(tmp_path, unpacker):
    named = make_zip(tmp_path / "adder.zip", [("solution.py", CORRECT)])
    in_layout = make_zip(tmp_path / "repo" / "adder" / "alice.zip", [("solution.py", CORRECT)])
    found = discover([named, tmp_path / "repo"], Catalog([FIXTURE_CHALLENGES]), unpacker=unpacker)
    assert [(f.label, f.challenge.slug) for f in found] == [(f"{named}!/", "adder"), (f"{in_layout}!/", "adder")]
    assert candidate_of(found[1].label) == str(in_layout.parent)


def test_labels_name_the_zip_and_its_folder():
    assert split_label("subs/alice.zip!/lru-cache") == ("subs/alice.zip", "lru-cache")
    assert split_label("subs/ALICE.ZIP!") == ("subs/ALICE.ZIP", "")
    assert split_label("subs/alice!/lru-cache") is None and split_label("subs/alice.zip/x") is None
    assert candidate_of("subs/alice.zip!/lru-cache") == "subs/alice.zip"
    assert candidate_of("subs/alice/lru-cache") == "subs/alice"


# --- end to end ------------------------------------------------------------------------------------------------

def grader(*args: str, cwd: Path, tmpdir: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {name: value for name, value in os.environ.items() if name != "GRADER_SIGNING_KEY"}
    environment.update(NO_COLOR="1", TMPDIR=str(tmpdir), PYTHONPATH=str(ROOT), **env)
    return subprocess.run([sys.executable, "-m", "grader", "--challenges-dir", str(FIXTURE_CHALLENGES), *args],
                          capture_output=True, text=True, cwd=cwd, env=environment, timeout=300)


def rezip(kit: Path, target: Path, replace: dict, top: bool = True) -> Path:
    """The kit as a candidate hands it back: ``replace`` (kit-relative name -> bytes), with or without
    its top folder."""
    with zipfile.ZipFile(kit) as archive:
        files = {name.split("/", 1)[1]: archive.read(name) for name in archive.namelist()}
    files.update(replace)
    return make_zip(target, [((f"{kit.stem}/{name}" if top else name), data) for name, data in sorted(files.items())])


def unzipped(archive: Path, folder: Path) -> None:
    """The same files as a folder (its top folder stripped, as grading does)."""
    with zipfile.ZipFile(archive) as opened:
        names = opened.namelist()
        strip = all(name.startswith("kit/") for name in names)
        for name in names:
            target = folder / (name.split("/", 1)[1] if strip else name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(opened.read(name))


def results(path: Path) -> dict:
    return {json.loads(line)["submission"]: json.loads(line) for line in path.read_text().splitlines()}


def test_kit_zips_grade_like_their_folders_resume_and_leave_nothing(tmp_path):
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    home = tmp_path / "take-home"
    (home / "grader.toml").parent.mkdir()
    (home / "grader.toml").write_text(ASSESSMENT)
    made = grader("kit", "take-home/grader.toml", "--output", "kit.zip", cwd=tmp_path, tmpdir=tmpdir)
    assert made.returncode == 0, made.stderr
    kit = tmp_path / "kit.zip"
    edited = ASSESSMENT.replace("seed = 5", "seed = 99").replace("weight = 2", "weight = 9").encode()
    subs = home / "subs"
    rezip(kit, subs / "alice.zip", {"adder/solution.py": CORRECT})
    rezip(kit, subs / "bob.zip", {})                                          # the stub, untouched
    rezip(kit, subs / "carol.zip", {"adder/solution.py": CORRECT, "grader.toml": edited}, top=False)
    make_zip(subs / "erin.zip", [("adder/README.md", b"no solution here")])
    _traversal(subs, tmp_path / "outside")
    (subs / "dave" / "adder").mkdir(parents=True)                            # a folder beside the zips
    (subs / "dave" / "adder" / "solution.py").write_bytes(WRONG)
    for name in ("alice", "bob", "carol", "erin"):
        unzipped(subs / f"{name}.zip", home / "folders" / name)

    first = grader("grade", "take-home/subs", "--sandbox", "process", "--format", "jsonl", "--output-dir", "out",
                   cwd=tmp_path, tmpdir=tmpdir)
    assert first.returncode == 1, first.stderr            # bob's stub fails; erin and the traversal are errors
    assert f"Assessment \"Zip take-home\" ({(home / 'grader.toml').resolve()}" in first.stderr   # strictly above
    assert ("warning: not applied: take-home/subs/alice.zip!/grader.toml, take-home/subs/bob.zip!/grader.toml, "
            "take-home/subs/carol.zip!/grader.toml") in first.stderr
    zipped = results(tmp_path / "out" / "results.jsonl")
    assert sorted(zipped) == ["take-home/subs/alice.zip!/adder", "take-home/subs/bob.zip!/adder",
                              "take-home/subs/carol.zip!/adder", "take-home/subs/dave/adder",
                              "take-home/subs/erin.zip!/adder", "take-home/subs/traversal.zip!/adder"]
    assert {report["seed"] for report in zipped.values()} == {5}           # carol's own grader.toml is not applied
    assert "There is no solution.py in take-home/subs/erin.zip!/adder." in zipped["take-home/subs/erin.zip!/adder"][
        "message"]
    refused = zipped["take-home/subs/traversal.zip!/adder"]
    assert refused["verdict"] == "error" and "traversal.zip was not unpacked: its entry '../../" in refused["message"]
    assert not (tmp_path / "outside").exists()
    assert str(tmpdir) not in (tmp_path / "out" / "results.jsonl").read_text()
    assert own_temporaries(tmpdir) == []
    totals = (tmp_path / "out" / "assessment.csv").read_text()
    assert "take-home/subs/alice.zip,100,100" in totals and "take-home/subs/traversal.zip,0,0" in totals

    folders = grader("grade", "take-home/folders", "--sandbox", "process", "--format", "jsonl", "--output-dir",
                     "folders-out", "--db", "folders.db", cwd=tmp_path, tmpdir=tmpdir)
    assert folders.returncode == 1, folders.stderr
    for name, report in results(tmp_path / "folders-out" / "results.jsonl").items():
        zip_report = zipped[name.replace("folders/", "subs/").replace("/adder", ".zip!/adder")]
        same = ("verdict", "score", "submission_sha256", "correctness")
        assert {key: zip_report[key] for key in same} == {key: report[key] for key in same}, name

    again = grader("grade", "take-home/subs", "--sandbox", "process", cwd=tmp_path, tmpdir=tmpdir)
    assert again.returncode == 1, again.stderr
    assert "6 submission(s); 6 already graded in grader-results.db; grading 0" in again.stderr
    assert own_temporaries(tmpdir) == []
    with sqlite3.connect(tmp_path / "grader-results.db") as db:
        paths = [row[0] for row in db.execute("SELECT path FROM paths UNION SELECT path FROM gradings")]
    assert paths and not [path for path in paths if str(tmpdir) in path]
    assert f"{subs.resolve()}/alice.zip!/adder" in paths


def test_verify_regrades_a_submission_in_a_zip(tmp_path):
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    (tmp_path / "grader.toml").write_text(ASSESSMENT)
    make_zip(tmp_path / "subs" / "alice.zip", [("kit/adder/solution.py", CORRECT), ("kit/grader.toml", b"")])
    make_zip(tmp_path / "subs" / "bob.zip", [("adder/solution.py", WRONG)])
    key = {"GRADER_SIGNING_KEY": "00" * 32}
    graded = grader("grade", "subs", "--assessment", "grader.toml", "--sandbox", "process", "--format", "jsonl",
                    "--output-dir", "out", cwd=tmp_path, tmpdir=tmpdir, **key)
    assert graded.returncode == 1, graded.stderr
    for target, regraded in (("subs", 2), ("subs/alice.zip", 1)):
        checked = grader("verify", "out/results.jsonl", "--assessment", "grader.toml", "--regrade", target,
                         "--sandbox", "process", cwd=tmp_path, tmpdir=tmpdir, **key)
        assert checked.returncode == 0, checked.stdout + checked.stderr
        text = " ".join(checked.stdout.split())
        assert "2 report(s): 2 verified, 0 failed." in text
        assert "subs/alice.zip!/adder: same submission" in text
        assert text.count(": same submission") == regraded
    assert own_temporaries(tmpdir) == []


def _default_signals() -> None:
    # A test runner started under nohup or in the background passes these on as ignored.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)


def test_sigterm_mid_grade_removes_the_unpacked_zip(tmp_path):
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    archive = make_zip(tmp_path / "slow.zip", [("adder/solution.py", SLOW)])
    environment = dict(os.environ, NO_COLOR="1", TMPDIR=str(tmpdir), PYTHONPATH=str(ROOT))
    process = subprocess.Popen([sys.executable, "-m", "grader", "--challenges-dir", str(FIXTURE_CHALLENGES),
                                "grade", str(archive), "--sandbox", "process", "--db", str(tmp_path / "r.db")],
                               cwd=tmp_path, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True, preexec_fn=_default_signals)
    try:
        deadline = time.monotonic() + 60
        while len(own_temporaries(tmpdir)) < 2:      # the unpacked zip, and the worker's sandbox
            assert process.poll() is None and time.monotonic() < deadline, process.stderr.read().decode()[-2000:]
            time.sleep(0.05)
        time.sleep(0.5)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode in (130, 143), stderr.decode()[-2000:]
    assert own_temporaries(tmpdir) == []
