"""Starting print jobs, noticing jobs whose worker died, running them again, and
removing old files and stored PDFs nothing can serve any more."""

import datetime as dt
from collections.abc import Sequence
from itertools import groupby, islice
from operator import itemgetter

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from printing import kinds
from printing.models import PrintJob, StoredPdf
from printing.tasks import print_job_run


def print_job_start(*, actor, kind: str, record_ids: Sequence[int]) -> PrintJob:
    """Queue a batch of forms for the background worker. The caller has already
    limited `record_ids` to what `actor` may see."""
    kinds.get(kind)  # an unknown kind is refused now, not in the worker
    ids = sorted(set(record_ids))
    with transaction.atomic():
        job = PrintJob.objects.create(kind=kind, record_ids=ids, total=len(ids), requested_by=actor)
        # The worker must not see the task before the job row exists.
        transaction.on_commit(lambda: print_job_run.enqueue(str(job.pk)))
    return job


INTERRUPTED = (
    "作成中に処理が中断されました（作業プロセスの停止）。「もう一度作成する」で作り直せます。"
)


def print_job_recover(*, now: dt.datetime | None = None) -> int:
    """Mark running jobs whose worker stopped answering (no heartbeat for
    JOB_LEASE_SECONDS) as failed, so nobody waits for them forever. No file is offered:
    a job gets its file only when the worker finished it."""
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.JOB_LEASE_SECONDS)
    return PrintJob.objects.filter(status=PrintJob.Status.RUNNING, heartbeat_at__lt=stale).update(
        status=PrintJob.Status.FAILED, error=INTERRUPTED, finished_at=now
    )


def print_job_retry(*, actor, job: PrintJob) -> PrintJob:
    """「もう一度作成する」: queue a failed job again, from the start. Whoever may see the
    batch (its requester, the 事務局) may make it again."""
    if not PrintJob.objects.visible_to(actor).filter(pk=job.pk).exists():
        raise PermissionDenied("この一括印刷を作り直せるのは依頼した人か事務局です。")
    with transaction.atomic():
        job = PrintJob.objects.select_for_update().get(pk=job.pk)
        if job.status != PrintJob.Status.FAILED:
            raise ValidationError("作り直せるのは失敗した一括印刷だけです。")
        job.status = PrintJob.Status.QUEUED
        job.done = job.pages = 0
        job.error = ""
        job.finished_at = job.heartbeat_at = None
        job.save()
        transaction.on_commit(lambda: print_job_run.enqueue(str(job.pk)))
    return job


def print_job_prune(*, now: dt.datetime | None = None) -> int:
    """Remove the PDFs of jobs finished more than JOB_RETENTION_DAYS ago (the job row
    stays as a record that the batch was printed)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.JOB_RETENTION_DAYS)
    removed = 0
    for job in PrintJob.objects.filter(finished_at__lt=cutoff).exclude(file=""):
        job.file.delete(save=False)
        job.file = ""
        job.save(update_fields=["file"])
        removed += 1
    return removed


def stored_pdfs_prune() -> int:
    """Remove the stored PDFs that can no longer be served, and return how many: each
    record's file is looked up by the key of what it prints now, so a file of an older
    layout (templates, stylesheet, fonts, renderer), of content since corrected or
    superseded, of a record deleted or of a kind no longer printed is never read again.
    Reading records a chunk at a time, memory stays flat however large the store."""
    rows = (
        StoredPdf.objects.order_by("kind", "record_id")
        .values_list("pk", "kind", "record_id", "key")
        .iterator(chunk_size=settings.PRINT_CHUNK_SIZE)
    )
    removed = 0
    for kind_name, kind_rows in groupby(rows, key=itemgetter(1)):
        try:
            kind = kinds.get(kind_name)
        except LookupError:
            kind = None
        while chunk := list(islice(kind_rows, settings.PRINT_CHUNK_SIZE)):
            ids = [record_id for _, _, record_id, _ in chunk]
            keys = kind.stored_keys(kind.records(ids=ids)) if kind else {}
            stale = [pk for pk, _, record_id, key in chunk if keys.get(record_id) != key]
            removed += StoredPdf.objects.filter(pk__in=stale).delete()[0]
    return removed
