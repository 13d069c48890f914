"""Writing a register out: the one writer the admin, the task worker and
`manage.py export` share (the resource's columns, exchange.spreadsheets' formats and
escaping), and the background run of an export too large for a request."""

import logging
import uuid

from django.core.files.base import ContentFile
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string

from exchange.models import ExportRecord
from exchange.resources import RegisterResource
from exchange.spreadsheets import FORMATS

logger = logging.getLogger(__name__)


def export_bytes(
    *,
    resource: RegisterResource,
    queryset: QuerySet,
    file_format: str,
    fields: list[str] | None = None,
) -> tuple[bytes, int]:
    """The file of `queryset` in `file_format` ("xlsx" / "csv") and its row count. The
    rows go straight from the resource to the file's writer (no tablib dataset between)."""
    headers, rows = resource.export_rows(queryset, fields or None)
    rows = list(rows)
    writer = FORMATS[file_format]()
    return writer.write_rows(resource.export_title(), headers, rows), len(rows)


def exportrecord_run(*, record: ExportRecord) -> None:
    """Write the record's file in the worker. Only records the user may still export
    are written (rights may have changed since the request)."""
    record.state = ExportRecord.State.RUNNING
    record.save(update_fields=["state"])
    try:
        resource = import_string(record.resource_path)(user=record.user)
        queryset = resource.export_queryset_for(record.user).filter(pk__in=record.record_ids)
        data, rows = export_bytes(
            resource=resource,
            queryset=queryset,
            file_format=record.file_format,
            fields=record.fields,
        )
    except Exception:
        logger.exception("export %s failed", record.pk)
        record.state = ExportRecord.State.FAILED
        record.error = "書き出し中に予期しない誤りが起きました。管理者に連絡してください。"
    else:
        # A random stored name: the download names the file, the storage need not.
        record.file.save(f"{uuid.uuid4().hex}.{record.file_format}", ContentFile(data), save=False)
        record.total_rows = rows
        record.state = ExportRecord.State.DONE
    record.finished_at = timezone.now()
    record.save()
