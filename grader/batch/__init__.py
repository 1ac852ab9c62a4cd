"""Batch grading: find many submissions, grade them in worker processes, keep
every result in SQLite so an interrupted run resumes where it stopped."""
