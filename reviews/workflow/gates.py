"""What holds a reviewer's approval back, declared by the parts built on the workflow
without the workflow importing them: the internal committee holds a record that an
undecided agenda item puts forward (reviews.committee.gate). Filled by config.wiring,
the one place every extension point is registered.

An approval on the committee's own decision (`record_approve(agenda_item=...)`) is the
decision the gate waits for, so it passes; the decision is declared here too."""

from collections.abc import Callable
from typing import Protocol

from reviews.workflow.models import ReviewedRecord

# `gate(record)` says, in Japanese, why a reviewer may not approve the record yet; ""
# when it holds nothing back.
Gate = Callable[[ReviewedRecord], str]

_gates: list[Gate] = []


class Decision(Protocol):
    """An approving decision the workflow accepts as a basis (reviews.committee's
    AgendaItem), named without importing it."""

    @property
    def approves(self) -> bool:
        """Whether the decision approves (approved, or approved with conditions)."""

    def puts_forward(self, record: ReviewedRecord) -> bool:
        """Whether the decision is about this record."""


def register_gate(gate: Gate) -> None:
    if gate not in _gates:
        _gates.append(gate)


def approval_held(record: ReviewedRecord) -> str:
    """Why the record's approval is held back ("" when nothing holds it)."""
    return next((reason for gate in _gates if (reason := gate(record))), "")
