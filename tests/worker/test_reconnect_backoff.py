"""The worker's wait between reconnections: doubling up to the maximum, and back to the
shortest after a loop that had worked for longer than that."""

import pytest
from django.db.utils import InterfaceError, OperationalError

from worker.management.commands import worker as command


def _runs(monkeypatch, outcomes: list[tuple[float, Exception | None]]) -> list[float]:
    """Run the reconnecting loop over `outcomes` (seconds the loop ran, then the error it
    ended with, or None to stop) and return the waits it made."""
    clock = [0.0]
    waits: list[float] = []
    monkeypatch.setattr(command.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(command.time, "sleep", waits.append)
    steps = iter(outcomes)

    def run() -> None:
        seconds, error = next(steps)
        clock[0] += seconds
        if error is not None:
            raise error

    command._run_reconnecting(run)
    return waits


def test_it_waits_longer_each_time_up_to_the_maximum(monkeypatch, settings):
    settings.WORKER_RECONNECT_SECONDS = 1
    settings.WORKER_RECONNECT_MAX_SECONDS = 4
    lost = OperationalError("server closed the connection unexpectedly")
    outcomes = [(0.1, lost)] * 4 + [(0.1, InterfaceError("connection already closed"))]
    assert _runs(monkeypatch, [*outcomes, (0, None)]) == [1, 2, 4, 4, 4]


def test_a_loop_that_worked_for_a_while_starts_again_from_the_shortest_wait(monkeypatch, settings):
    settings.WORKER_RECONNECT_SECONDS = 1
    settings.WORKER_RECONNECT_MAX_SECONDS = 4
    lost = OperationalError("terminating connection due to administrator command")
    outcomes = [(0.1, lost), (0.1, lost), (0.1, lost), (3600, lost), (0.1, lost), (0, None)]
    assert _runs(monkeypatch, outcomes) == [1, 2, 4, 1, 2]


def test_other_errors_are_not_retried(monkeypatch):
    def run() -> None:
        raise ValueError("a bug, not the database")

    monkeypatch.setattr(command.time, "sleep", lambda seconds: None)
    with pytest.raises(ValueError):
        command._run_reconnecting(run)
