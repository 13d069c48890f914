"""`manage.py workerhealth`: the task worker container's health check. Succeeds when a
worker on this host (its container) has written its heartbeat within
WORKER_HEARTBEAT_MAX_AGE seconds; fails (exit status 1) otherwise, also when the
database cannot be reached."""

import socket

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from worker.models import Heartbeat


class Command(BaseCommand):
    help = "このホストのバックグラウンド処理が稼働しているかを確かめます（ヘルスチェック）。"

    def handle(self, *args, **options) -> None:
        hostname = socket.gethostname()[:255]
        try:
            alive = Heartbeat.objects.alive().filter(hostname=hostname).exists()
        except DatabaseError as error:
            raise CommandError(f"データベースに接続できません: {error}") from None
        if not alive:
            raise CommandError(f"{hostname} のバックグラウンド処理の応答がありません。")
        self.stdout.write(f"{hostname} のバックグラウンド処理は稼働中です。")
