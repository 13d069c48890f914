"""`/healthz` tells a running task worker from a dead one by its heartbeat."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from tests.database import database_url
from worker.models import Heartbeat

background = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _beat(seconds_ago: float = 0) -> Heartbeat:
    seen = timezone.now() - dt.timedelta(seconds=seconds_ago)
    return Heartbeat.objects.create(
        worker_id=f"w{seconds_ago}", hostname="h", pid=1, started_at=seen, last_seen=seen
    )


def _wait(predicate, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def test_it_reports_the_worker_down_without_a_recent_heartbeat(client, db):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "worker": "ng"}
    _beat(seconds_ago=django_settings.WORKER_HEARTBEAT_MAX_AGE + 5)
    assert client.get("/healthz").status_code == 503
    _beat(seconds_ago=1)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "worker": "ok"}


def _worker() -> subprocess.Popen:
    manage = Path(django_settings.BASE_DIR) / "manage.py"
    environment = os.environ | {
        "DATABASE_URL": database_url(),
        "SECRET_KEY": "worker-under-test",
        "WORKER_HEARTBEAT_SECONDS": "1",
    }
    return subprocess.Popen(
        [sys.executable, str(manage), "worker", "--no-reload", "--interval", "0.2", "-v", "0"],
        env=environment,
        start_new_session=True,
    )


@background
def test_a_running_worker_keeps_the_site_healthy_and_a_killed_one_does_not(client, settings):
    settings.WORKER_HEARTBEAT_MAX_AGE = 3
    worker = _worker()
    try:
        _wait(lambda: client.get("/healthz").status_code == 200)
        first = Heartbeat.objects.get().last_seen
        _wait(lambda: Heartbeat.objects.get().last_seen > first)  # it keeps beating
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    # A killed worker leaves its row behind; it ages out of the check.
    assert Heartbeat.objects.count() == 1
    _wait(lambda: client.get("/healthz").status_code == 503, seconds=10)
    assert client.get("/healthz").json()["worker"] == "ng"


@background
def test_a_worker_that_stops_cleanly_removes_its_heartbeat(db):
    worker = _worker()
    try:
        _wait(lambda: Heartbeat.objects.exists())
    finally:
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0
    assert not Heartbeat.objects.exists()
