"""`manage.py workerhealth`, the worker container's health check: healthy only while a
worker on this host beats."""

import datetime as dt
import io
import socket

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from worker.models import Heartbeat

pytestmark = pytest.mark.django_db


def _beat(hostname: str, seconds_ago: float) -> None:
    seen = timezone.now() - dt.timedelta(seconds=seconds_ago)
    Heartbeat.objects.create(
        worker_id=f"{hostname}{seconds_ago}",
        hostname=hostname,
        pid=1,
        started_at=seen,
        last_seen=seen,
    )


def test_it_fails_without_a_recent_beat_from_this_host(settings):
    _beat("another-container", seconds_ago=1)
    _beat(socket.gethostname(), seconds_ago=settings.WORKER_HEARTBEAT_MAX_AGE + 5)
    with pytest.raises(CommandError, match="応答がありません"):
        call_command("workerhealth")


def test_it_succeeds_while_this_hosts_worker_beats():
    _beat(socket.gethostname(), seconds_ago=1)
    out = io.StringIO()
    call_command("workerhealth", stdout=out)
    assert "稼働中" in out.getvalue()
