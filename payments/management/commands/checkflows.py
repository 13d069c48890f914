"""`python manage.py checkflows`: run every data-flow rule; exit status 1 on a problem."""

import sys

from django.core.management.base import BaseCommand, CommandError

from notation import wareki
from payments import rules


class Command(BaseCommand):
    help = (
        "データの流れを規則（LINEガイドライン、電算結合記録票・外部委託記録票との整合）で"
        "点検します（個人情報ファイル簿と登録簿との整合も点検します）。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help="この日を基準に点検します（例: 令和2年1月1日）。省略時は今日。",
        )

    def handle(self, *args, date=None, **options):
        today = None
        if date:
            try:
                today = wareki.parse_date(date)
            except wareki.WarekiError as error:
                raise CommandError(str(error)) from None
        problems = rules.check_all(today)
        if not problems:
            self.stdout.write(self.style.SUCCESS("データの流れに問題はありません。"))
            return
        for problem in problems:
            self.stdout.write(f"［{problem.rule}］{problem.message}")
        self.stderr.write(f"{len(problems)}件の問題があります。")
        sys.exit(1)
