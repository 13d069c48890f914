"""`manage.py worker`: the database task worker (django-tasks' `db_worker`, same options)
that also writes a heartbeat every WORKER_HEARTBEAT_SECONDS, so `/healthz` can tell a
running worker from a dead one."""

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks_db.management.commands import db_worker

from worker.services import heartbeat_beat, heartbeat_end


class Command(db_worker.Command):
    help = "バックグラウンド処理（取り込み・一括印刷・通知）を実行し、稼働状況を記録します。"

    def handle(self, *args, worker_id: str, **options) -> None:
        stop = threading.Event()
        beating = threading.Thread(
            target=_beat, args=(worker_id, stop), name="heartbeat", daemon=True
        )
        beating.start()
        try:
            super().handle(*args, worker_id=worker_id, **options)
        finally:
            stop.set()
            beating.join(timeout=5)
            heartbeat_end(worker_id=worker_id)


def _beat(worker_id: str, stop: threading.Event) -> None:
    started_at = timezone.now()
    while True:
        close_old_connections()
        try:
            heartbeat_beat(worker_id=worker_id, started_at=started_at)
        except Exception:  # the database is away: keep trying, /healthz says so meanwhile
            logging.getLogger(__name__).exception("heartbeat not written")
        if stop.wait(settings.WORKER_HEARTBEAT_SECONDS):
            break
    # The thread's own connection: close it rather than leave it to the process exit.
    connection.close()
