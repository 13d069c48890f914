"""The task worker's heartbeat: the worker process writes it, `/healthz` reads it.

A worker that died (killed, out of memory, its container gone) stops beating; a worker
busy with a long print batch keeps beating, because the beat runs beside the task."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone


class HeartbeatQuerySet(models.QuerySet):
    def alive(self) -> "HeartbeatQuerySet":
        horizon = timezone.now() - dt.timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE)
        return self.filter(last_seen__gte=horizon)

    def stale(self) -> "HeartbeatQuerySet":
        return self.exclude(pk__in=self.alive().values("pk"))


class Heartbeat(models.Model):
    worker_id = models.CharField("ワーカーID", max_length=64, unique=True)
    hostname = models.CharField("ホスト名", max_length=255)
    pid = models.PositiveIntegerField("プロセスID")
    started_at = models.DateTimeField("開始日時")
    last_seen = models.DateTimeField("最終応答日時", db_index=True)

    objects = HeartbeatQuerySet.as_manager()

    class Meta:
        verbose_name = "ワーカーの稼働状況"
        verbose_name_plural = "ワーカーの稼働状況"

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"
