"""Reading uploaded spreadsheets safely, and running an import as one recorded,
all-or-nothing step, in the request or in the task worker.

Caps come from settings (IMPORT_MAX_FILE_SIZE, IMPORT_MAX_UNPACKED_SIZE, IMPORT_MAX_ROWS)
and are checked before a file is parsed: a 50 MB upload, a workbook whose parts unpack to
gigabytes, or a million-row sheet is refused early. XML inside workbooks is parsed by
openpyxl through defusedxml (no entity expansion), and every row in a sheet is read
whatever size the sheet declares.
"""

import csv
import datetime as dt
import io
import logging
import re
import zipfile
from collections.abc import Callable
from typing import Any

import tablib
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from import_export.formats import base_formats
from import_export.results import Result

from notation.jis import to_jis_x_0208
from registry.models import ImportRecord

logger = logging.getLogger(__name__)

MAX_MESSAGES = 200


class ImportFileError(ValueError):
    """A file that cannot be imported at all, with a Japanese message for the user."""


# --- limits ---------------------------------------------------------------------------


def check_file_size(size: int) -> None:
    limit = settings.IMPORT_MAX_FILE_SIZE
    if size > limit:
        raise ImportFileError(
            f"ファイルが大きすぎます（{_megabytes(size)}）。"
            f"取り込めるのは {_megabytes(limit)} までです。ファイルを分けてください。"
        )


def check_row_count(rows: int) -> None:
    limit = settings.IMPORT_MAX_ROWS
    if rows > limit:
        raise ImportFileError(
            f"行数が多すぎます（{rows:,}行以上）。一度に取り込めるのは {limit:,}行までです。"
            "ファイルを分けてください。"
        )


def check_unpacked_size(data: bytes) -> None:
    """A workbook is a zip: refuse one whose parts would unpack to more than
    IMPORT_MAX_UNPACKED_SIZE before any part is decompressed (a "zip bomb" of a few MB can
    unpack to gigabytes). Sizes come from the zip's directory; a part that lies about its
    size fails later when zipfile checks the length it really produced."""
    limit = settings.IMPORT_MAX_UNPACKED_SIZE
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip: the reader below refuses it with its own message
    if total > limit:
        raise ImportFileError(
            f"Excel ファイルの中身が大きすぎます（展開すると {_megabytes(total)}）。"
            f"取り込めるのは展開後 {_megabytes(limit)} までです。ファイルを分けてください。"
        )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


# --- reading --------------------------------------------------------------------------


def _dataset(headers: list[Any], rows) -> tablib.Dataset:
    names = ["" if header is None else str(header).strip() for header in headers]
    while names and not names[-1]:
        names.pop()
    if not any(names):
        raise ImportFileError(
            "1行目に列の見出しがありません。書き出したファイルの形にしてください。"
        )
    dataset = tablib.Dataset(headers=names)
    for count, row in enumerate(rows, start=1):
        values = ["" if value is None else value for value in list(row)[: len(names)]]
        if all(str(value).strip() == "" for value in values):
            continue
        if count > settings.IMPORT_MAX_ROWS:
            check_row_count(count)
        dataset.append(values + [""] * (len(names) - len(values)))
    return dataset


def read_xlsx(data: bytes) -> tablib.Dataset:
    import openpyxl

    check_unpacked_size(data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # whatever a broken or hostile file raises
        raise ImportFileError(_UNREADABLE_XLSX) from error
    try:
        sheet = book.active
        # The sheet's declared size: refused before any row is read.
        if sheet.max_row:
            check_row_count(sheet.max_row - 1)
        # The declared size may also be too small: forget it, so every row is read (the
        # row cap is checked while reading).
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        headers = next(rows, None)
        if headers is None:
            raise ImportFileError("シートが空です。")
        return _dataset(list(headers), rows)
    except ImportFileError:
        raise
    except Exception as error:  # XML refused by defusedxml, a part that lies about its size
        raise ImportFileError(_UNREADABLE_XLSX) from error
    finally:
        book.close()


_UNREADABLE_XLSX = (
    "Excel ファイル（.xlsx）として読めません。Excel で「Excel ブック (*.xlsx)」として"
    "保存し直すか、形式に CSV を選んでください。"
)


def read_csv(data: bytes) -> tablib.Dataset:
    if b"\x00" in data[:8192]:
        raise ImportFileError(
            "CSV ファイルとして読めません（文字のファイルではありません）。形式を確かめてください。"
        )
    # Excel on Japanese Windows saves CSV in Shift_JIS (cp932); newer versions in UTF-8.
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(
            "CSV の文字コードを判別できません。UTF-8 か Shift_JIS で保存してください。"
        )
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        headers = next(reader, None)
        if headers is None:
            raise ImportFileError("ファイルが空です。")
        return _dataset(headers, ([unescape_csv_cell(cell) for cell in row] for row in reader))
    except csv.Error as error:
        raise ImportFileError(f"CSV ファイルとして読めません（{error}）。") from None


# Excel runs a CSV cell starting with one of these as a formula. Such cells are written
# with a leading apostrophe, which Excel hides and the import removes again.
_FORMULA_START = ("=", "+", "@", "-")


def escape_csv_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START) and value not in {"-"}:
        return "'" + value
    return value


def unescape_csv_cell(value: str) -> str:
    if value.startswith("'") and value[1:].startswith(_FORMULA_START):
        return value[1:]
    return value


class SpreadsheetCSV(base_formats.CSV):
    """CSV read as bytes (UTF-8 or Shift_JIS) and written with a BOM so Excel shows the
    Japanese headers correctly when the file is double-clicked."""

    def is_binary(self) -> bool:
        return True

    def get_read_mode(self) -> str:
        return "rb"

    def create_dataset(self, in_stream, **kwargs) -> tablib.Dataset:
        if isinstance(in_stream, str):
            in_stream = in_stream.encode()
        return read_csv(in_stream)

    def export_data(self, dataset, **kwargs) -> bytes:
        escaped = tablib.Dataset(headers=dataset.headers)
        for row in dataset:
            escaped.append([escape_csv_cell(_exported(value)) for value in row])
        return escaped.export("csv").encode("utf-8-sig")


class SpreadsheetXLSX(base_formats.XLSX):
    def create_dataset(self, in_stream) -> tablib.Dataset:
        return read_xlsx(in_stream)

    def export_data(self, dataset, **kwargs) -> bytes:
        return write_xlsx(dataset)


def _exported(value: Any) -> Any:
    """A cell as exported: text with JIS X 0208 code points for Windows' look-alikes, so
    a strict JIS conversion of the file succeeds (rows saved before the rule included)."""
    return to_jis_x_0208(value) if isinstance(value, str) else value


def write_xlsx(dataset: tablib.Dataset) -> bytes:
    """The register as a workbook. Text that starts with 「=」 is stored as text, never as
    a formula, so user text cannot run in the reader's Excel (and still round-trips)."""
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font

    book = openpyxl.Workbook()
    sheet = book.active
    if dataset.title:
        # Excel's limits on a sheet's name: 31 characters, none of []:*?/\
        sheet.title = re.sub(r"[\[\]:*?/\\]", "", dataset.title)[:31] or "台帳"
    sheet.append(list(dataset.headers or []))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row_number, row in enumerate(dataset, start=2):
        for column, value in enumerate(row, start=1):
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", _exported(value))
            cell = sheet.cell(row=row_number, column=column, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
                if "\n" in value:
                    cell.alignment = wrap
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


FORMATS = {"xlsx": SpreadsheetXLSX, "csv": SpreadsheetCSV}


def format_key(file_format) -> str:
    return next(key for key, cls in FORMATS.items() if isinstance(file_format, cls))


def read_file(data: bytes, file_format: str) -> tablib.Dataset:
    check_file_size(len(data))
    return FORMATS[file_format]().create_dataset(data)


# --- running --------------------------------------------------------------------------


class ProgressWriter:
    """Writes how many rows are done through a second database connection: the import
    itself runs in one transaction, which no other session sees until it commits."""

    every = 200

    def __init__(self, record: ImportRecord):
        self.record_id = record.pk
        self.connection = None
        main = connections[ImportRecord.objects.db]
        # SQLite locks the whole file during the import; progress shows when it ends.
        if main.vendor == "postgresql":
            self.connection = type(main)(dict(main.settings_dict), alias="import_progress")

    def __call__(self, rows_done: int) -> None:
        if self.connection is None or rows_done % self.every:
            return
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {ImportRecord._meta.db_table} SET processed_rows = %s, heartbeat_at = %s "
                "WHERE id = %s",
                [rows_done, timezone.now(), self.record_id],
            )

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def error_messages(result: Result) -> list[str]:
    """Every reason a file was refused, one line each, naming row, column and value."""
    messages = [str(error.error) for error in result.base_errors]
    for line, errors in result.row_errors():
        messages += [f"{line + 1}行目 {error.error}" for error in errors]
    for row in result.invalid_rows:
        for field_messages in row.error_dict.values():
            messages += [str(message) for message in field_messages]
    return messages


def preview_rows(result: Result) -> list[list]:
    """The rows a checked file would add or change (sheet line, "new" / "update", the
    record), up to MAX_MESSAGES; unchanged rows are only counted."""
    rows = []
    for number, row in enumerate(result.rows, start=2):
        if row.import_type in ("new", "update"):
            rows.append([number, row.import_type, row.object_repr or ""])
            if len(rows) == MAX_MESSAGES:
                break
    return rows


def importrecord_create(
    *,
    actor,
    resource_class: type,
    register: str,
    file_name: str,
    file_format: str,
    data: bytes,
    state: str,
    total_rows: int,
) -> ImportRecord:
    return ImportRecord.objects.create(
        user=actor,
        register=register,
        resource_path=f"{resource_class.__module__}.{resource_class.__qualname__}",
        file_name=file_name[:255],
        file_format=file_format,
        file_size=len(data),
        file_data=data,
        state=state,
        total_rows=total_rows,
    )


def importrecord_enqueue(*, record: ImportRecord, dry_run: bool) -> None:
    """Hand the file to the task worker once the record is committed."""
    from registry.tasks import run_import

    record.state = ImportRecord.State.PREVIEW_QUEUED if dry_run else ImportRecord.State.QUEUED
    record.processed_rows = 0
    record.save(update_fields=["state", "processed_rows"])
    transaction.on_commit(lambda: run_import.enqueue(record.pk, dry_run))


def importrecord_run(
    *,
    record: ImportRecord,
    dry_run: bool,
    dataset: tablib.Dataset | None = None,
    on_result: Callable[[Result], None] | None = None,
    **import_kwargs,
) -> Result | None:
    """Check (dry_run) or import the record's file. Nothing is saved unless every row
    is valid: one transaction, rolled back on any error. The outcome is recorded."""
    State = ImportRecord.State
    record.state = State.PREVIEWING if dry_run else State.RUNNING
    record.processed_rows = 0
    record.heartbeat_at = timezone.now()
    record.save(update_fields=["state", "processed_rows", "heartbeat_at"])
    progress = ProgressWriter(record)
    result = None
    try:
        if dataset is None:
            dataset = read_file(bytes(record.file_data), record.file_format)
        record.total_rows = len(dataset)
        resource = import_string(record.resource_path)(user=record.user, html_diff=False)
        resource.on_row = progress
        result = resource.import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=False,
            use_transactions=True,
            rollback_on_validation_errors=True,
            file_name=record.file_name,
            user=record.user,
            **import_kwargs,
        )
    except ImportFileError as error:
        record.messages = [str(error)]
        record.state = State.REFUSED
    except Exception:
        logger.exception("import %s failed", record.pk)
        record.messages = ["取り込み中に予期しない誤りが起きました。管理者に連絡してください。"]
        record.state = State.FAILED
    else:
        messages = error_messages(result)
        record.counts = {key: value for key, value in result.totals.items() if value}
        record.messages = messages[:MAX_MESSAGES]
        if len(messages) > MAX_MESSAGES:
            record.messages.append(f"ほかに {len(messages) - MAX_MESSAGES} 件の誤りがあります。")
        if messages:
            record.state = State.REFUSED
        elif dry_run:
            record.state = State.PREVIEWED
            record.preview = preview_rows(result)
        else:
            record.state = State.DONE
        record.processed_rows = record.total_rows
        if on_result is not None:
            on_result(result)
    finally:
        progress.close()
    if record.state in {State.DONE, State.REFUSED, State.FAILED}:
        # The history keeps who imported which file; the contents are not kept.
        record.file_data = b""
        record.finished_at = timezone.now()
    record.save()
    return result


INTERRUPTED = (
    "処理中に中断されました（作業プロセスの停止）。何も保存していません。"
    "「もう一度実行する」でやり直せます。"
)


def importrecord_recover(*, now: dt.datetime | None = None) -> int:
    """Mark imports whose worker stopped answering (no heartbeat for JOB_LEASE_SECONDS)
    as failed. The file is kept so the import can be run again."""
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.JOB_LEASE_SECONDS)
    State = ImportRecord.State
    return ImportRecord.objects.filter(
        state__in=[State.PREVIEWING, State.RUNNING], heartbeat_at__lt=stale
    ).update(state=State.FAILED, messages=[INTERRUPTED], finished_at=now)


def importrecord_retry(*, actor, record: ImportRecord) -> ImportRecord:
    """「もう一度実行する」: check an interrupted import's kept file again; the user then
    confirms the import as before."""
    if not (actor.is_superuser or record.user_id == actor.pk):
        raise PermissionDenied("この取り込みをやり直せるのは取り込んだ人です。")
    with transaction.atomic():
        record = ImportRecord.objects.select_for_update().get(pk=record.pk)
        if record.state != ImportRecord.State.FAILED or not record.file_data:
            raise ValidationError("やり直せるのは中断された取り込みだけです。")
        record.messages = []
        record.finished_at = None
        record.save(update_fields=["messages", "finished_at"])
        importrecord_enqueue(record=record, dry_run=True)
    return record


def importrecord_prune(*, now: dt.datetime | None = None) -> int:
    """Drop kept files (previews never confirmed, interrupted imports) after
    JOB_RETENTION_DAYS; the record of who imported what stays."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.JOB_RETENTION_DAYS)
    return (
        ImportRecord.objects.filter(created_at__lt=cutoff)
        .exclude(file_data=b"")
        .update(file_data=b"")
    )
