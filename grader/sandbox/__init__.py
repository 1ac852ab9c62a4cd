"""Sandbox backends: where a submission's code runs, behind the agent."""
