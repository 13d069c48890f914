"""`manage.py import`: django-import-export's command, limited to the registers.

The library's command also takes a bare model (`consignments.Consignment`) and builds a
plain ModelResource for it, which writes any column to any field: it set a draft to
承認済み with no basis and no transition. Here a model name means its register's
resource (the one the admin's import uses, with its checks and the review workflow),
anything that is not a register is refused, and `--user` names who imports: Form 2 /
Form 5 rows that create or change a record need one, as the audit trail names them.

This command takes the name `import` because registry comes before import_export in
INSTALLED_APPS (tests/imports/test_import_command.py checks that it does)."""

import contextlib
import sys

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.module_loading import import_string
from import_export.command_utils import get_format_class
from import_export.results import RowResult

from registry.imports import SpreadsheetCSV, SpreadsheetXLSX
from registry.resources import RegisterResource

_library = import_string("import_export.management.commands.import.Command")


def register_resources() -> dict[str, type[RegisterResource]]:
    """The register resource of every model the admin imports, by model label."""
    resources = {}
    for model, model_admin in admin.site._registry.items():
        for resource_class in getattr(model_admin, "resource_classes", None) or []:
            if issubclass(resource_class, RegisterResource):
                resources.setdefault(model._meta.label_lower, resource_class)
    return resources


def register_resource(name: str) -> type[RegisterResource]:
    """The resource a `manage.py import` argument names, if it is a register's."""
    try:
        found = import_string(name)
    except ImportError:
        found = None
    if isinstance(found, type) and issubclass(found, RegisterResource):
        return found
    resources = register_resources()
    label = name.lower()
    if found is None and label.count(".") == 1:
        with contextlib.suppress(LookupError, ValueError):
            label = apps.get_model(name)._meta.label_lower
    if label in resources:
        return resources[label]
    names = "、".join(sorted(r.__module__ + "." + r.__name__ for r in set(resources.values())))
    raise CommandError(
        f"「{name}」は取り込めません。取り込めるのは台帳（{names}）だけです。"
        "記録票の状態や審査の経過は、取り込みでは変更できません。"
    )


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
        resource_class = register_resource(options["resource"])
        user = None
        if options.get("user"):
            try:
                user = get_user_model().objects.get(username=options["user"])
            except get_user_model().DoesNotExist:
                raise CommandError(f"ユーザー「{options['user']}」が見つかりません。") from None
        if options["interactive"] and input("取り込みを実行しますか？ [yes/no]: ") != "yes":
            raise CommandError("取り込みを中止しました。")
        file_name = options["import_file_name"]
        format_class = _format(options.get("format"), file_name, options.get("encoding"))
        if file_name == "-":
            stream = sys.stdin.buffer if format_class.is_binary() else sys.stdin
            data = stream.read()
        else:
            with open(file_name, format_class.get_read_mode()) as file:
                data = file.read()
        resource = resource_class(user=user, html_diff=False)
        try:
            dataset = format_class.create_dataset(data)
            result = resource.import_data(dataset, dry_run=options.get("dry_run"))
        except ValueError as error:
            raise CommandError(str(error)) from None
        if result.has_errors() or result.has_validation_errors():
            messages = [repr(error.error) for error in result.base_errors]
            messages += [
                message
                for row in result.invalid_rows
                for row_messages in row.error_dict.values()
                for message in row_messages
            ]
            messages += [
                f"{line}行目 {error.error!r}"
                for line, errors in result.row_errors()
                for error in errors
            ]
            raise CommandError(
                "取り込めませんでした（何も保存していません）:\n" + "\n".join(messages)
            )
        totals = result.totals
        self.stderr.write(
            f"取り込みました: 追加 {totals[RowResult.IMPORT_TYPE_NEW]}件、"
            f"変更 {totals[RowResult.IMPORT_TYPE_UPDATE]}件、"
            f"変更なし {totals[RowResult.IMPORT_TYPE_SKIP]}件"
            f"（{resource_class._meta.model._meta.verbose_name}）"
            + ("。--dry-run のため保存していません。" if options.get("dry_run") else "")
        )
