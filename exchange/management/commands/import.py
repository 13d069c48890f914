"""`manage.py import`: django-import-export's command, limited to the registers.

The library's command also takes a bare model (`consignments.Consignment`) and builds a
plain ModelResource for it, which writes any column to any field: it set a draft to
承認済み with no basis and no transition. Here a model name means its register's
resource (the one the admin's import uses, with its checks and the review workflow),
anything that is not a register is refused, and `--user` names who imports: Form 2 /
Form 5 rows that create or change a record need one, as the audit trail names them.

This command takes the name `import` because exchange comes before import_export in
INSTALLED_APPS (tests/exchange/test_import_command.py checks that it does)."""

import sys

from django.core.management.base import CommandError
from django.utils.module_loading import import_string
from import_export.command_utils import get_format_class
from import_export.results import RowResult

from exchange.commands import command_user, file_error, register_resource
from exchange.runs import error_messages
from exchange.spreadsheets import ImportFileError, SpreadsheetCSV, SpreadsheetXLSX

_library = import_string("import_export.management.commands.import.Command")


def _format(name: str | None, file_name: str, encoding: str | None):
    """The registers' own readers (Shift_JIS or UTF-8 CSV, size caps) for .csv / .xlsx."""
    if not name and file_name.lower().endswith(".csv"):
        return SpreadsheetCSV()
    if not name and file_name.lower().endswith(".xlsx"):
        return SpreadsheetXLSX()
    return get_format_class(name, file_name, encoding)


class Command(_library):
    help = (
        "台帳（所管課・業務・相手方・事前一括承認基準・事例・諮問・外部委託記録票・"
        "電算結合記録票）を Excel / CSV から取り込みます。"
    )

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--user",
            help="取り込む職員のユーザー名（外部委託記録票・電算結合記録票の作成・変更に必要）",
        )

    def handle(self, *args, **options) -> None:
        # The state and the review's course are never imported: only registers are.
        resource_class = register_resource(options["resource"])
        user = command_user(options.get("user"))
        if options["interactive"] and input("取り込みを実行しますか？ [yes/no]: ") != "yes":
            raise CommandError("取り込みを中止しました。")
        file_name = options["import_file_name"]
        format_class = _format(options.get("format"), file_name, options.get("encoding"))
        try:
            if file_name == "-":
                stream = sys.stdin.buffer if format_class.is_binary() else sys.stdin
                data = stream.read()
            else:
                with open(file_name, format_class.get_read_mode()) as file:
                    data = file.read()
        except OSError as error:
            raise file_error(file_name, error, "読めません") from None
        resource = resource_class(user=user, html_diff=False)
        try:
            dataset = format_class.create_dataset(data)
            result = resource.import_data(dataset, dry_run=options.get("dry_run"))
        except (ImportFileError, UnicodeDecodeError, ValueError) as error:
            raise CommandError(f"取り込めませんでした（何も保存していません）: {error}") from None
        totals = result.totals
        messages = error_messages(result)
        refused = totals[RowResult.IMPORT_TYPE_INVALID] + totals[RowResult.IMPORT_TYPE_ERROR]
        if messages or refused or result.has_errors() or result.has_validation_errors():
            # Also when the library counted no error but refused rows (0 new, 0 changed):
            # whatever was refused makes the command fail, as the admin refuses the file.
            messages = messages or [f"{refused}行を取り込めませんでした。"]
            raise CommandError(
                "取り込めませんでした（何も保存していません）:\n" + "\n".join(messages)
            )
        self.stderr.write(
            f"取り込みました: 追加 {totals[RowResult.IMPORT_TYPE_NEW]}件、"
            f"変更 {totals[RowResult.IMPORT_TYPE_UPDATE]}件、"
            f"変更なし {totals[RowResult.IMPORT_TYPE_SKIP]}件"
            f"（{resource_class._meta.model._meta.verbose_name}）"
            + ("。--dry-run のため保存していません。" if options.get("dry_run") else "")
        )
