"""Print official forms from the command line: one PDF per record, or one combined file.

manage.py printforms --kind form2 --out DIR [--business 0404-01] [--combined all.pdf]
"""

from itertools import islice
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from printing import kinds
from printing.render import unprintable_message


class Command(BaseCommand):
    help = "第2号様式・第5号様式などの帳票をPDFに印刷します（1件1ファイル、または1つにまとめて）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--kind", required=True, help=f"帳票の種類（{', '.join(kinds.names())}）"
        )
        parser.add_argument("--out", required=True, type=Path, help="出力先のディレクトリ")
        parser.add_argument("--business", help="この業務登録番号の記録だけを印刷（例: 0404-01）")
        parser.add_argument(
            "--combined",
            type=Path,
            help="1つのPDFにまとめる場合のファイル名（相対パスは --out からの位置）",
        )

    def handle(
        self, *, kind: str, out: Path, business: str | None, combined: Path | None, **options
    ):
        try:
            printable = kinds.get(kind)
        except LookupError as error:
            raise CommandError(str(error)) from None
        records = printable.records(business=business)
        if not records.exists():
            raise CommandError(
                f"印刷する記録がありません（{printable.label}"
                + (f"、業務登録番号 {business}" if business else "")
                + "）。"
            )
        out.mkdir(parents=True, exist_ok=True)
        missing: dict[str, None] = {}
        if combined:
            path = combined if combined.is_absolute() else out / combined
            with path.open("wb") as target:
                result = printable.write(records, target)
            missing.update(dict.fromkeys(result.missing_glyphs))
            self.stdout.write(str(path))
        else:
            # A chunk at a time: stored files are read, the others laid out together.
            rows = records.iterator(chunk_size=settings.PRINT_CHUNK_SIZE)
            while chunk := list(islice(rows, settings.PRINT_CHUNK_SIZE)):
                for record, result in zip(chunk, printable.pdfs(chunk), strict=True):
                    path = out / printable.filename(record)
                    path.write_bytes(result.content)
                    missing.update(dict.fromkeys(result.missing_glyphs))
                    self.stdout.write(str(path))
        if missing:
            self.stderr.write(unprintable_message(list(missing)))
