"""Heartbeats are operational state, not records: no actor and no history, one row per
running worker process."""

import os
import socket

from django.utils import timezone

from worker.models import Heartbeat


def heartbeat_beat(*, worker_id: str, started_at) -> None:
    Heartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "last_seen": timezone.now(),
        },
    )


def heartbeat_end(*, worker_id: str) -> None:
    Heartbeat.objects.filter(worker_id=worker_id).delete()


def heartbeat_prune() -> int:
    """Forget workers that stopped beating (their process is gone); return how many."""
    return Heartbeat.objects.stale().delete()[0]
