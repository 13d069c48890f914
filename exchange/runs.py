"""Running an import as one recorded, all-or-nothing step, in the task worker
(exchange.tasks): the only place an uploaded file is read."""

import logging

from django.db import connections
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from import_export.results import Result

from exchange.models import ImportRecord
from exchange.spreadsheets import ImportFileError, read_file

logger = logging.getLogger(__name__)

MAX_MESSAGES = 200


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


NO_DATA = "No valid data to import. Ensure your file has the correct headers or data for import."


def importrecord_run(*, record: ImportRecord, dry_run: bool) -> Result | None:
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
        dataset = read_file(bytes(record.file_data), record.file_format)
        if not len(dataset):
            # django-import-export's own message for a file without rows; locale/ja
            # gives it its Japanese.
            raise ImportFileError(gettext(NO_DATA))
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
    finally:
        progress.close()
    if record.state in {State.DONE, State.REFUSED, State.FAILED}:
        # The history keeps who imported which file; the contents are not kept.
        record.file_data = b""
        record.finished_at = timezone.now()
    record.save()
    return result
