"""Periodic upkeep, run by the compose stack every few minutes (and safe to run by hand):
notice background jobs whose worker died, remove files, access-log rows and closed
開示請求等 past their retention, stored PDFs nothing can serve any more and old change
stamps.

The worker is the top layer below config: this command calls down into each app's own
prune and recover steps, and no app imports the worker."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from accesslog.services import access_prune
from disclosure.services import requests_purge
from exchange.services import exportrecord_prune, importrecord_prune, importrecord_recover
from exchange.uploads import pending_prune
from printing.services import print_job_prune, print_job_recover, stored_pdfs_prune
from registry.changes import change_stamps_prune
from worker.services import heartbeat_prune


class Command(BaseCommand):
    help = "中断された処理を検出し、保存期間を過ぎたファイルを削除します。"

    def handle(self, *args, **options) -> None:
        counts = {
            "中断された一括印刷": print_job_recover(),
            "中断された取り込み": importrecord_recover(),
            "削除した印刷ファイル": print_job_prune(),
            "削除した取り込みファイル": importrecord_prune(),
            "削除した書き出しファイル": exportrecord_prune(),
            "削除した取り込み待ちファイル": pending_prune(),
            "削除したアクセスログ": access_prune(),
            "削除した保存済みPDF（様式の変更・訂正など）": stored_pdfs_prune(),
            "停止したワーカーの記録": heartbeat_prune(),
            "古い変更の通し番号": change_stamps_prune(),
            "保存期間を過ぎた開示請求等": requests_purge(today=timezone.localdate()),
        }
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count}件")
