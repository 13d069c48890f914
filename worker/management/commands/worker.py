"""`manage.py worker`: the database task worker (django-tasks' `db_worker`, same options)
that also writes a heartbeat every WORKER_HEARTBEAT_SECONDS, so `/healthz` can tell a
running worker from a dead one, and that outlives a database restart: when the database
goes away the loop waits and reconnects instead of exiting."""

import logging
import threading
import time

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, connections
from django.db.utils import InterfaceError, OperationalError
from django.utils import timezone
from django_tasks_db.management.commands import db_worker

from worker.services import heartbeat_beat, heartbeat_end

logger = logging.getLogger(__name__)


class Command(db_worker.Command):
    help = "バックグラウンド処理（取り込み・一括印刷・通知）を実行し、稼働状況を記録します。"

    def handle(self, *args, worker_id: str, **options) -> None:
        stop = threading.Event()
        beating = threading.Thread(
            target=_beat, args=(worker_id, stop), name="heartbeat", daemon=True
        )
        beating.start()
        try:
            _run_reconnecting(
                lambda: super(Command, self).handle(*args, worker_id=worker_id, **options)
            )
        finally:
            stop.set()
            beating.join(timeout=5)
            try:
                heartbeat_end(worker_id=worker_id)
            except DatabaseError:  # stopped while the database is away: housekeeping prunes it
                logger.warning("heartbeat not removed", exc_info=True)


def _run_reconnecting(run) -> None:
    """Run the library's polling loop; when the database is lost (a restart, a dropped
    connection) wait WORKER_RECONNECT_SECONDS, doubling up to WORKER_RECONNECT_MAX_SECONDS,
    and start it again with fresh connections. A loop that worked for longer than the
    longest wait starts counting from the shortest again."""
    delay = settings.WORKER_RECONNECT_SECONDS
    while True:
        started = time.monotonic()
        try:
            run()
            return  # --batch or --max-tasks: the library's loop ended by itself
        except (OperationalError, InterfaceError) as error:
            if time.monotonic() - started > settings.WORKER_RECONNECT_MAX_SECONDS:
                delay = settings.WORKER_RECONNECT_SECONDS
            logger.warning("database lost (%s); reconnecting in %.1f s", error, delay)
            connections.close_all()
            time.sleep(delay)
            delay = min(delay * 2, settings.WORKER_RECONNECT_MAX_SECONDS)


def _beat(worker_id: str, stop: threading.Event) -> None:
    started_at = timezone.now()
    while True:
        close_old_connections()
        try:
            heartbeat_beat(worker_id=worker_id, started_at=started_at)
        except Exception:  # the database is away: keep trying, /healthz says so meanwhile
            logger.exception("heartbeat not written")
            connection.close()
        if stop.wait(settings.WORKER_HEARTBEAT_SECONDS):
            break
    # The thread's own connection: close it rather than leave it to the process exit.
    connection.close()
