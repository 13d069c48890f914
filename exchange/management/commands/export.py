"""`manage.py export`: a register written out as the admin's export writes it.

The library's command takes a bare model and writes its database fields, with live
formulas, CSV without a BOM and a sheet named "Tablib Dataset". Here a name means its
register's resource and the admin's writer (text never becomes a formula, CSV with a BOM
for Excel, the register's Japanese name on the sheet and in the file name); `--user`
names whose rights apply (section staff export their own section's records), and the
export is kept in the access log like the admin's.

This command takes the name `export` because exchange comes before import_export in
INSTALLED_APPS."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accesslog.models import AccessEvent
from accesslog.services import access_record_by
from exchange.commands import command_user, export_file_name, file_error, register_resource
from exchange.spreadsheets import FORMATS
from exchange.writing import export_bytes


class Command(BaseCommand):
    help = "台帳を Excel（xlsx）または CSV に書き出します。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("format", choices=sorted(FORMATS), help="形式（xlsx または csv）")
        parser.add_argument(
            "resource", help="台帳（consignments.Consignment、registry.Organization など）"
        )
        parser.add_argument(
            "--user", required=True, help="書き出す職員のユーザー名（その人が見られる記録だけ）"
        )
        parser.add_argument(
            "--out",
            default=".",
            help="書き出し先のフォルダまたはファイル（既定: 現在のフォルダ、- で標準出力）",
        )

    def handle(self, *args, **options) -> None:
        resource_class = register_resource(options["resource"], verb="書き出せません")
        user = command_user(options["user"])
        model = resource_class._meta.model
        if not user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"):
            raise CommandError(
                f"ユーザー「{user.get_username()}」には{model._meta.verbose_name}を"
                "見る権限がないため、書き出せません。"
            )
        resource = resource_class(user=user)
        queryset = resource.export_queryset_for(user)
        data, rows = export_bytes(
            resource=resource, queryset=queryset, file_format=options["format"]
        )
        access_record_by(
            user=user,
            action=AccessEvent.Action.EXPORT,
            model=model,
            ids=queryset.values_list("pk", flat=True),
            path=f"manage.py export {options['format']} {options['resource']}",
        )
        out = options["out"]
        if out == "-":
            if sys.stdout.isatty():
                raise CommandError("端末には書き出せません。--out でファイルを指定してください。")
            sys.stdout.buffer.write(data)
            return
        path = Path(out)
        if path.is_dir():
            path = path / export_file_name(model, options["format"])
        try:
            path.write_bytes(data)
        except OSError as error:
            raise file_error(path, error, "書き込めません") from None
        self.stderr.write(f"{model._meta.verbose_name} {rows}件を書き出しました: {path}")
