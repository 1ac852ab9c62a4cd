"""The grader's own errors. Every one carries a message a user can act on.

    GraderError                  caught once, in the CLI; exit code 2 or 3
    ├── UsageError               the user asked for something impossible (exit 2)
    │   ├── UnknownChallenge     no challenge with that slug
    │   ├── ChallengeUndetermined  cannot tell which challenge a folder is for
    │   └── AssessmentError      a grader.toml assessment file is unreadable or invalid, or
    │                            does not list the challenge asked for
    ├── ChallengeDefinitionError a challenge folder is malformed (exit 2)
    ├── SandboxUnavailable       the chosen sandbox backend cannot run here (exit 2)
    └── InternalError            a bug in the grader (exit 3)

Problems with a *submission* are not errors of the grader: they become a
report with verdict ``error`` or ``fail``.
"""


class GraderError(Exception):
    """Root of the grader's errors; ``str()`` is the message for the user."""

    exit_code = 3


class UsageError(GraderError):
    exit_code = 2


class UnknownChallenge(UsageError):
    pass


class ChallengeUndetermined(UsageError):
    pass


class AssessmentError(UsageError):
    pass


class ChallengeDefinitionError(GraderError):
    exit_code = 2


class SandboxUnavailable(GraderError):
    exit_code = 2


class InternalError(GraderError):
    exit_code = 3
