"""Writing a register out: the one writer the admin, the task worker and
`manage.py export` share (the resource's columns, exchange.spreadsheets' formats and
escaping), and the background run of an export too large for a request."""

import hashlib
import json
import logging
import uuid
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string

from exchange.models import ExportRecord
from exchange.resources import RegisterResource
from exchange.spreadsheets import FORMATS

logger = logging.getLogger(__name__)
# How new the registers' data is (config.wiring names registry.changes' stamp, which every
# audited write raises): an export asked again at the same version reuses the file.
_data_versions: list[Callable[[], object]] = []


def data_version_register(provider: Callable[[], object]) -> None:
    _data_versions.append(provider)


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


def export_key(*, record: ExportRecord, ids: list[int]) -> str:
    """What the record's file would hold: the same register, rows, columns and format,
    for the same person on the same day (a row's 効力 follows the date), with the data
    unchanged since. Empty when nothing tells whether the data changed."""
    if not _data_versions:
        return ""
    described = [
        record.resource_path,
        record.file_format,
        record.fields,
        record.user_id,
        timezone.localdate().isoformat(),
        [str(version()) for version in _data_versions],
        ids,
    ]
    return hashlib.sha256(json.dumps(described).encode()).hexdigest()


def _written_before(key: str) -> ExportRecord | None:
    for earlier in ExportRecord.objects.filter(content_key=key, state=ExportRecord.State.DONE):
        if earlier.file_exists:
            return earlier
    return None


def exportrecord_run(*, record: ExportRecord) -> None:
    """Write the record's file in the worker. Only records the user may still export
    are written (rights may have changed since the request). A file written before
    from the same data is copied rather than written again: a clerk asks for the whole
    register often, and writing 10,000 rows costs seconds of the worker's time."""
    record.state = ExportRecord.State.RUNNING
    record.save(update_fields=["state"])
    try:
        resource = import_string(record.resource_path)(user=record.user)
        queryset = resource.export_queryset_for(record.user).filter(pk__in=record.record_ids)
        # The version is read before the rows: a change committed meanwhile raises it,
        # so a file may hold data newer than its key says but never older.
        key = export_key(record=record, ids=sorted(queryset.values_list("pk", flat=True)))
        earlier = _written_before(key) if key else None
        if earlier:
            with earlier.file.open("rb") as file:
                data, rows = file.read(), earlier.total_rows
        else:
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
        record.content_key = key
        record.state = ExportRecord.State.DONE
    record.finished_at = timezone.now()
    record.save()
