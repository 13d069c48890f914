"""Starting print jobs, noticing jobs whose worker died, running them again, and
removing old files."""

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from printing import kinds
from printing.models import PrintJob
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
    """「もう一度作成する」: queue a failed job again, from the start."""
    if not (actor.is_superuser or job.requested_by_id == actor.pk):
        raise PermissionDenied("この一括印刷を作り直せるのは依頼した人です。")
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
