"""The ``grader`` command: one module per group of commands, one error boundary."""
