"""Issue 11's hostile submissions, graded under each sandbox from outside.

Each submission attacks the host's reading of what crosses the boundary:
shapes of replies, sizes of texts, the submission folder itself. Each is
graded by a fresh ``grader submit --format json`` with a 150 s limit, in a
private TMPDIR. Target: every one finishes with a verdict (exit 0, 1 or 2
never 2 or 3), a report under 1 MiB, nothing
left in TMPDIR; the table gives wall time and the peak memory (max RSS) of
the grader's process tree.

    python3 benchmarks/hostile_corpus.py --out benchmarks/results/hostile_corpus.txt
    python3 benchmarks/hostile_corpus.py --sandbox process --only fifo_helper

The Docker sandbox uses $GRADER_IMAGE (the grader's default image otherwise).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIMIT_SECONDS = 150
REPORT_LIMIT = 1 << 20

REVERSE = "def reverse_string(s):\n    return s[::-1]\n"


def _solution(folder: Path, source: str) -> None:
    folder.mkdir(parents=True)
    (folder / "solution.py").write_text(source)


def self_containing_list(folder: Path) -> str:
    _solution(folder, "def flatten(nested):\n    out = [1]\n    out.append(out)\n    return out\n")
    return "flatten"


def forged_self_containing_tuple(folder: Path) -> str:
    _solution(folder, "import __main__\n"
                      "__main__.Agent.encode_value = lambda self, key, value: {key: [['T', [0]]]}\n" + REVERSE)
    return "reverse-string"


def fifo_helper(folder: Path) -> str:
    _solution(folder, "import helper\n" + REVERSE)
    os.mkfifo(folder / "helper.py")
    return "reverse-string"


def import_failure_raised_is_a_string(folder: Path) -> str:
    _solution(folder, "import __main__\n__main__.describe_exception = lambda exc, workdir: 'boom'\n"
                      "raise ValueError('no')\n")
    return "reverse-string"


def forged_benchmark_reply(folder: Path) -> str:
    _solution(folder, "import __main__\n"
                      "__main__.Agent.op_bench_run = lambda self, request: "
                      "{'ok': True, 'digest': 'none at all', 'peak_bytes': 'none at all'}\n" + REVERSE)
    return "reverse-string"


def helper_name_not_utf8(folder: Path) -> str:
    _solution(folder, REVERSE)
    with open(os.path.join(os.fsencode(folder), b"\xff\xfe.py"), "wb") as handle:
        handle.write(b"X = 1\n")
    return "reverse-string"


def nested_folders_1100(folder: Path) -> str:
    _solution(folder, REVERSE)
    current = os.fsencode(folder)
    os.chdir(current)
    try:
        for _ in range(1100):
            os.mkdir(b"d")
            os.chdir(b"d")
        with open(b"deep.py", "wb") as handle:
            handle.write(b"X = 1\n")
    finally:
        os.chdir(ROOT)
    return "reverse-string"


def expression_of_1500_terms(folder: Path) -> str:
    _solution(folder, "X = " + " + ".join(["1"] * 1500) + "\n" + REVERSE)
    return "reverse-string"


def lifted_message_cap(folder: Path) -> str:
    _solution(folder, "import __main__\n__main__.MAX_MESSAGE_CHARS = 10**9\n"
                      "def reverse_string(s):\n    raise ValueError('x' * 4_000_000)\n")
    return "reverse-string"


def shared_value_expanding(folder: Path) -> str:
    _solution(folder, "def flatten(nested):\n    value = [1, 2, 3]\n    for _ in range(4):\n"
                      "        value = [value] * 40\n    return value\n")
    return "flatten"


def sorted_on_95208_lines(folder: Path) -> str:
    """The issue's 1 MiB file naming a forbidden `sorted` on every line (now over the size limit)."""
    line = "y = sorted\n"
    count = (1 << 20) // len(line) - 100
    _solution(folder, "class MinHeap:\n    pass\n" + line * count)
    return "min-heap"


def sorted_on_every_line_within_the_limit(folder: Path) -> str:
    """The same within the 256 KiB limit: the findings are capped, the grader's memory bounded."""
    line = "y = sorted\n"
    count = (256 << 10) // len(line) - 100
    _solution(folder, "class MinHeap:\n    pass\n" + line * count)
    return "min-heap"


def values_at_the_reply_caps(folder: Path) -> str:
    _solution(folder, "def flatten(nested):\n    if len(nested) % 2:\n        return 'x' * 4_000_000\n"
                      "    return list(range(199_000))\n")
    return "flatten"


def lone_surrogate_in_a_message(folder: Path) -> str:
    _solution(folder, 'raise ValueError("m \\ud800")\n')
    return "reverse-string"


def shared_tuples_hashed_as_a_key(folder: Path) -> str:
    _solution(folder, "class Key(tuple):\n    def __hash__(self):\n        return 0\n\n"
                      "def reverse_string(s):\n    t = Key()\n    for _ in range(40):\n        t = Key((t, t))\n"
                      "    return {t: s[::-1]}\n")
    return "reverse-string"


def shared_lists_through_a_fixture(folder: Path) -> str:
    _solution(folder, "import functools\n\ndef timer(func):\n    @functools.wraps(func)\n"
                      "    def wrapper(*args, **kwargs):\n        value = []\n        for _ in range(26):\n"
                      "            value = [value, value]\n        return value\n    return wrapper\n")
    return "timer-decorator"


SUBMISSIONS = [self_containing_list, forged_self_containing_tuple, fifo_helper, import_failure_raised_is_a_string,
               forged_benchmark_reply, helper_name_not_utf8, nested_folders_1100, expression_of_1500_terms,
               lifted_message_cap, shared_value_expanding, sorted_on_95208_lines, sorted_on_every_line_within_the_limit,
               values_at_the_reply_caps, lone_surrogate_in_a_message, shared_tuples_hashed_as_a_key,
               shared_lists_through_a_fixture]


# Runs the command and reports its process tree's max RSS (KiB) as the last stderr line.
MEASURED = ("import resource, subprocess, sys\n"
            "code = subprocess.run(sys.argv[1:]).returncode\n"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
            "sys.exit(code)\n")


def grade_one(make, sandbox: str) -> dict:
    scratch = Path(tempfile.mkdtemp(prefix="grader-hostile-"))
    try:
        private_tmp = scratch / "tmp"
        private_tmp.mkdir()
        folder = scratch / "submission"
        slug = make(folder)
        command = [sys.executable, "-c", MEASURED, sys.executable, "-m", "grader", "submit", str(folder), "--challenge", slug, "--sandbox", sandbox,
                   "--format", "json"]
        env = dict(os.environ, TMPDIR=str(private_tmp), NO_COLOR="1", PYTHONPATH=str(ROOT))
        started = time.monotonic()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)
        try:
            stdout, stderr = process.communicate(timeout=LIMIT_SECONDS)
            timed_out = False
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
            timed_out = True
        wall = time.monotonic() - started
        stderr, _, peak = stderr.rstrip().rpartition(b"\n")
        peak_kib = int(peak) if peak.isdigit() else 0
        left = sorted(p.name for p in private_tmp.iterdir() if p.name.startswith("grader-sandbox-"))
        verdict = ""
        if stdout:
            import json
            try:
                verdict = json.loads(stdout)["verdict"]
            except (ValueError, KeyError):
                verdict = "unreadable"
        return {"name": make.__name__, "sandbox": sandbox, "code": process.returncode, "timed_out": timed_out,
                "wall": wall, "report_bytes": len(stdout), "peak_mib": peak_kib / 1024, "left": left,
                "verdict": verdict or ("(exit 2) " + stderr.decode(errors="replace").strip()[:60]),
                "ok": (not timed_out and process.returncode in (0, 1) and len(stdout) < REPORT_LIMIT
                       and not left)}
    finally:
        # rm, not shutil.rmtree: Python 3.11's recurses once per level of the 1,100 nested folders.
        subprocess.run(["rm", "-rf", "--", str(scratch)], check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sandbox", action="append", choices=["process", "docker"])
    parser.add_argument("--only", nargs="*", default=[])
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    sandboxes = args.sandbox or ["process", "docker"]
    lines = [f"# hostile submissions (issue 11), {platform.node()} ({os.cpu_count()} cores), "
             f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M')}",
             f"# limit {LIMIT_SECONDS} s each; 'peak' is the max RSS of the grader's process tree",
             f"{'submission':36} {'sandbox':8} {'exit':>4} {'seconds':>8} {'report':>9} {'peak MiB':>9} "
             f"{'left':>4}  verdict"]
    failures = 0
    for make in SUBMISSIONS:
        if args.only and make.__name__ not in args.only:
            continue
        for sandbox in sandboxes:
            row = grade_one(make, sandbox)
            failures += not row["ok"]
            lines.append(f"{row['name']:36} {sandbox:8} {row['code']:>4} {row['wall']:8.1f} "
                         f"{row['report_bytes']:>9,} {row['peak_mib']:9.1f} {len(row['left']):>4}  "
                         f"{row['verdict']}{'' if row['ok'] else '   <-- NOT OK'}")
            print(lines[-1], flush=True)
    lines.append(f"# {failures} not ok")
    print(lines[-1])
    if args.out:
        args.out.write_text("\n".join(lines) + "\n")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
