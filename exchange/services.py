"""The life of an import run (exchange.models.ImportRecord) around running it: recorded,
handed to the task worker, recovered when its worker died, retried, its file pruned; and
of a background export (ExportRecord): recorded, handed to the worker, its file pruned."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from exchange.models import ExportRecord, ImportRecord
from exchange.tasks import run_export, run_import


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
    record.state = ImportRecord.State.PREVIEW_QUEUED if dry_run else ImportRecord.State.QUEUED
    record.processed_rows = 0
    record.save(update_fields=["state", "processed_rows"])
    transaction.on_commit(lambda: run_import.enqueue(record.pk, dry_run))


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
    """「もう一度実行する」: check an interrupted import's kept file again; the uploader
    then confirms the import as before."""
    if not record.may_be_retried_by(actor):
        raise PermissionDenied("この取り込みをやり直せるのは取り込んだ人か事務局です。")
    with transaction.atomic():
        record = ImportRecord.objects.select_for_update().get(pk=record.pk)
        if not record.is_retryable:
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


def exportrecord_create(
    *,
    actor,
    resource_class: type,
    register: str,
    file_name: str,
    file_format: str,
    record_ids: list[int],
    fields: list[str] | None = None,
) -> ExportRecord:
    """Record an export of `record_ids` and hand it to the task worker once committed."""
    if not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied("書き出すにはログインしてください。")
    record = ExportRecord.objects.create(
        user=actor,
        register=register,
        resource_path=f"{resource_class.__module__}.{resource_class.__qualname__}",
        file_format=file_format,
        file_name=file_name[:255],
        record_ids=list(record_ids),
        fields=list(fields or []),
        total_rows=len(record_ids),
    )
    transaction.on_commit(lambda: run_export.enqueue(record.pk))
    return record


def exportrecord_prune(*, now: dt.datetime | None = None) -> int:
    """Remove export files finished more than JOB_RETENTION_DAYS ago; the record of who
    exported what stays."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.JOB_RETENTION_DAYS)
    removed = 0
    for record in ExportRecord.objects.filter(finished_at__lt=cutoff).exclude(file=""):
        record.file.delete(save=False)
        record.file = ""
        record.save(update_fields=["file"])
        removed += 1
    return removed
