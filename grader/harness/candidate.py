"""The ``candidate`` proxy that hidden tests receive as a fixture."""

from __future__ import annotations

from grader.harness.program import Outcome, Program, judge
from grader.harness.session import CandidateAbort, SandboxSession


class Candidate:
    """Runs programs in the submission's sandbox and judges their outcomes."""

    def __init__(self, session: SandboxSession):
        self._session = session

    def run(self, program: Program) -> list[Outcome]:
        """All outcomes of a program, from one round trip."""
        try:
            outcomes = self._session.run([step.to_request() for step in program.steps])
        except CandidateAbort as abort:
            if abort.step is not None and abort.step < len(program.steps):
                _name_the_call_that_hung(abort, program)
            else:
                abort.transcript = "\n".join(step.source() for step in program.steps[:50])
            raise
        for outcome in outcomes:
            if outcome.raised is not None and outcome.raised.is_memory_error:
                self._session.memory_exceeded = True
        return outcomes

    def check(self, program: Program) -> list[Outcome]:
        """Run the program and raise ``Mismatch`` at the first missed expectation."""
        outcomes = self.run(program)
        judge(program.steps, outcomes)
        return outcomes


def _name_the_call_that_hung(abort: CandidateAbort, program: Program) -> None:
    """A time-out's transcript ends at the call that did not return (the
    agent's progress notes say which had started: only this text uses them,
    never the verdict), and its message names that call."""
    hung = program.steps[abort.step]
    before = program.steps[:abort.step][-49:]
    call = hung.source()
    if "no answer" in abort.message:
        abort.message = abort.message.replace("no answer", f"{call} did not return", 1)
    else:
        abort.message += f" while {call} was running"
    abort.message += " (an infinite loop, or far too slow?)"
    abort.transcript = "\n".join([step.source() for step in before] + [f"{hung.source()} -> no answer"])
