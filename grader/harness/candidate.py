"""The ``candidate`` proxy that hidden tests receive as a fixture."""

from __future__ import annotations

from grader.agent.agent import decode
from grader.harness.program import Outcome, Program, Raised, judge
from grader.harness.session import CandidateAbort, SandboxSession


class Candidate:
    """Runs programs in the submission's sandbox and judges their outcomes."""

    def __init__(self, session: SandboxSession):
        self._session = session

    def run(self, program: Program) -> list[Outcome]:
        """All outcomes of a program, from one round trip."""
        try:
            results = self._session.run([step.to_request() for step in program.steps])
        except CandidateAbort as abort:
            abort.transcript = "\n".join(step.source() for step in program.steps[:50])
            raise
        outcomes = [_outcome(result) for result in results]
        for outcome in outcomes:
            if outcome.raised is not None and outcome.raised.is_memory_error:
                self._session.memory_exceeded = True
        return outcomes

    def check(self, program: Program) -> list[Outcome]:
        """Run the program and raise ``Mismatch`` at the first missed expectation."""
        outcomes = self.run(program)
        judge(program.steps, outcomes)
        return outcomes


def _outcome(result: dict) -> Outcome:
    if not isinstance(result, dict):
        return Outcome(unreadable="could not be read (malformed answer)")
    outcome = Outcome()
    if not result.get("ok"):
        outcome.raised = Raised(result.get("raised") or {})
    elif "value" in result:
        try:
            outcome.value = decode(result["value"])
        except Exception:  # noqa: BLE001 - a forged table is the submission's failure
            outcome.unreadable = "could not be read (malformed value)"
    elif "value_error" in result:
        outcome.unreadable = str(result["value_error"])[:500]
    if "args_after" in result:
        try:
            outcome.args_after = decode(result["args_after"])
        except Exception:  # noqa: BLE001
            outcome.args_unreadable = "malformed value"
    elif "args_after_error" in result:
        outcome.args_unreadable = str(result["args_after_error"])[:500]
    return outcome

