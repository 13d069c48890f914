"""The task worker outlives its database: when PostgreSQL goes away (every connection
dropped, new ones refused for a while) the worker waits, reconnects and then runs the
jobs queued meanwhile, instead of exiting."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from exchange.models import ImportRecord
from exchange.tasks import run_import
from tests.database import database_url
from tests.factories import UserFactory
from tests.tcp_proxy import TcpProxy
from worker.models import Heartbeat


def _wait(predicate, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


# The worker is another process: it sees only committed rows.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_survives_a_database_restart_and_runs_the_next_job():
    db = connection.settings_dict
    proxy = TcpProxy(db["HOST"], int(db["PORT"]))
    proxy.start()
    url = database_url().replace(f":{db['PORT']}/", f":{proxy.port}/")
    environment = os.environ | {
        "DATABASE_URL": url,
        "SECRET_KEY": "worker-under-test",
        "WORKER_HEARTBEAT_SECONDS": "1",
        "WORKER_RECONNECT_SECONDS": "0.2",
        "WORKER_RECONNECT_MAX_SECONDS": "1",
    }
    manage = Path(django_settings.BASE_DIR) / "manage.py"
    worker = subprocess.Popen(
        [sys.executable, str(manage), "worker", "--no-reload", "--interval", "0.2", "-v", "0"],
        env=environment,
        start_new_session=True,
    )
    try:
        _wait(lambda: Heartbeat.objects.exists())
        # The restart: every connection dropped, and for a while none accepted.
        proxy.stop()
        time.sleep(3)
        assert worker.poll() is None, "the worker exited when the database went away"
        proxy.start()
        record = ImportRecord.objects.create(
            user=UserFactory(),
            register="相手方",
            resource_path="registry.resources.OrganizationResource",
            file_name="空.csv",
            file_format="csv",
            file_data=b"",
            state=ImportRecord.State.PREVIEW_QUEUED,
        )
        run_import.enqueue(record.pk, True)
        _wait(lambda: ImportRecord.objects.get(pk=record.pk).state != "preview_queued")
        record.refresh_from_db()
        # The job ran to its end: an empty file is refused with its Japanese reason.
        assert (record.state, record.messages) == ("refused", ["ファイルが空です。"])
        assert worker.poll() is None
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
        proxy.stop()
