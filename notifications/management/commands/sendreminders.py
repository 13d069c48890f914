"""`manage.py sendreminders`: queue the reminders of 附帯意見 (and those other apps register:
漏えい等事案, 開示請求等) for the task worker. Safe to run
as often as the stack likes (docker-compose runs it hourly): each reminder goes once."""

from django.core.management.base import BaseCommand

from notifications.tasks import send_reminders


class Command(BaseCommand):
    help = "附帯意見・漏えい等事案・開示請求等の期限の通知（期限前・期限切れ）を作業プロセスに依頼します。"

    def handle(self, *args, **options) -> None:
        result = send_reminders.enqueue()
        self.stdout.write(f"期限の通知を依頼しました（{result.id}）。")
