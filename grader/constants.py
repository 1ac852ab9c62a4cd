"""Limits, caps and exit codes, named once."""

# Exit codes of the ``grader`` command.
EXIT_PASS = 0
EXIT_NOT_PASSING = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3

SCHEMA_VERSION = 1

# What a submission may be.
SOLUTION_FILE = "solution.py"
MARKER_FILE = ".grader.toml"
# Parsing costs the host ~250 bytes of memory per byte of dense code (a syntax
# tree of 476,000 nodes for 1 MiB of `y = sorted` lines: 240 MB), so these bound
# the grader's memory too; real solutions are a few KiB.
MAX_SOURCE_BYTES = 256 << 10        # one .py file
MAX_SUBMISSION_BYTES = 512 << 10    # the whole folder
MAX_SUBMISSION_FILES = 200

# A candidate's zip (``grader grade``, grader/batch/archive.py), checked before anything is unpacked.
MAX_ZIP_BYTES = 64 << 20            # the zip file, and its entries' bytes unpacked, in all
MAX_ZIP_ENTRY_BYTES = 16 << 20      # one entry unpacked
MAX_ZIP_ENTRIES = 10_000
MAX_ZIP_DIRECTORY_BYTES = 2 << 20   # its table of entries, which zipfile reads whole (~600 bytes of memory each)
MAX_ZIP_RATIO = 100                 # unpacked : packed, of an entry over 1 MiB: more marks a zip bomb

# The sandbox.
OUTPUT_CAP_BYTES = 3800             # captured stdout+stderr kept per sandbox: its first and last
                                    # halves, within MAX_OUTPUT_IN_REPORT with the note of the cut
REPLY_CAP_BYTES = 4 << 20           # one protocol reply (honest ones are under 8 KiB)
SANDBOX_START_TIMEOUT = 10.0        # seconds for the agent to answer hello
MAX_SANDBOX_RESTARTS = 25           # fresh processes per graded submission
OPEN_FILES_LIMIT = 64
FILE_SIZE_LIMIT = 16 << 20
PROCESS_LIMIT = 32
SANDBOX_UID_RANGE = range(61000, 61100)

# Defaults for a challenge that does not say otherwise.
DEFAULT_CALL_TIMEOUT = 2.0
DEFAULT_TOTAL_TIMEOUT = 60.0
DEFAULT_MEMORY_MB = 256
DEFAULT_CPU_SECONDS = 60

# What the report keeps.
MAX_MESSAGE_CHARS = 2000
MAX_COUNTEREXAMPLE_CHARS = 4000
MAX_OUTPUT_IN_REPORT = 4000
MAX_SHOWN_CHARS = 1000              # one value as a message shows it
MAX_REPORT_BYTES = 1 << 20          # a whole report, in any format
MAX_RULE_FINDINGS_IN_REPORT = 50

# The candidate's history of attempts (grader/history.py): what one attempt keeps, and how many are kept.
HISTORY_BUSY_SECONDS = 2.0          # waited for another grader's write before giving up with a warning
HISTORY_MAX_TESTS = 300             # tests per attempt (names and statuses)
HISTORY_MAX_FAILURES = 20           # failing tests per attempt kept with their message and counterexample
HISTORY_MAX_NAME_CHARS = 200
HISTORY_MAX_MESSAGE_CHARS = 600
HISTORY_MAX_COUNTEREXAMPLE_CHARS = 1500
HISTORY_MAX_ATTEMPTS = 1000         # per workspace and challenge; older ones go (never the first that passed)

# Hints (the [hints] table of challenge.toml).
MAX_HINT_LEVELS = 5
MAX_HINT_CHARS = 1000
