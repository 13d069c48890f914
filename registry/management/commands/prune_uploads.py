from django.core.management.base import BaseCommand

from registry.uploads import pending_prune


class Command(BaseCommand):
    help = "確認されずに残った取り込み待ちのファイルを削除します（IMPORT_PENDING_HOURS を過ぎたもの）。"

    def handle(self, *args, **options) -> None:
        removed = pending_prune()
        self.stdout.write(f"取り込み待ちのファイルを {removed} 件削除しました。")
