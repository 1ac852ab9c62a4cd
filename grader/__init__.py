"""grader: auto-grader for interview-style coding challenges."""

__version__ = "0.1.0"
