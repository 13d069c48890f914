"""`manage.py housekeeping`: the worker's upkeep, calling each app's own recover and
prune steps (their effects are tested with each app: tests/exchange, tests/printing,
tests/accesslog, tests/registry)."""

import datetime as dt
import io

import pytest
from django.core.management import call_command, get_commands
from django.utils import timezone

from worker.models import Heartbeat

pytestmark = pytest.mark.django_db

STEPS = [
    "中断された一括印刷",
    "中断された取り込み",
    "削除した印刷ファイル",
    "削除した取り込みファイル",
    "削除した書き出しファイル",
    "削除した取り込み待ちファイル",
    "削除したアクセスログ",
    "削除した保存済みPDF（様式の変更・訂正など）",
    "停止したワーカーの記録",
    "古い変更の通し番号",
    "保存期間を過ぎた開示請求等",
]


def test_it_is_the_workers_command():
    assert get_commands()["housekeeping"] == "worker"


def test_it_reports_every_step_once_nothing_is_due(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    out = io.StringIO()
    call_command("housekeeping", stdout=out)
    assert out.getvalue().splitlines() == [f"{label}: 0件" for label in STEPS]


def test_it_forgets_workers_that_stopped_beating():
    def beat(seconds_ago: float) -> Heartbeat:
        seen = timezone.now() - dt.timedelta(seconds=seconds_ago)
        return Heartbeat.objects.create(
            worker_id=f"w{seconds_ago}", hostname="h", pid=1, started_at=seen, last_seen=seen
        )

    live, dead = beat(1), beat(3600)
    out = io.StringIO()
    call_command("housekeeping", stdout=out)
    assert "停止したワーカーの記録: 1件" in out.getvalue()
    assert list(Heartbeat.objects.values_list("pk", flat=True)) == [live.pk]
    assert not Heartbeat.objects.filter(pk=dead.pk).exists()
