"""gunicorn starts from its config file, serves the app and writes an access log."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.utils import timezone

from tests.database import database_url
from worker.models import Heartbeat

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# serialized_rollback, like every transactional test: the seed comes back after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_serves_the_health_check_and_logs_the_request(live_server):
    # live_server: the test database exists and is reachable by the subprocess.
    now = timezone.now()
    Heartbeat.objects.create(worker_id="w", hostname="h", pid=1, started_at=now, last_seen=now)
    port = _free_port()
    env = os.environ | {
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "SECURE_SSL_REDIRECT": "0",
    }
    env["DATABASE_URL"] = database_url()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    assert r.status == 200
                    assert r.read() == b'{"database": "ok", "worker": "ok"}'
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError("gunicorn did not answer")
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert '"GET /healthz HTTP/1.1" 200' in output
