"""Background work of the printing app (django-tasks, database backend)."""

import tempfile

from django.core.files import File
from django.utils import timezone
from django_tasks import task

from printing import kinds
from printing.models import PrintJob


@task()
def print_job_run(job_id: str) -> int:
    """Render a print job into one PDF, reporting progress chunk by chunk. Returns the
    number of pages."""
    job = PrintJob.objects.get(pk=job_id)
    if job.status != PrintJob.Status.QUEUED:
        return job.pages  # a duplicate delivery of a job that was already taken
    job.status = PrintJob.Status.RUNNING
    job.heartbeat_at = timezone.now()
    job.save(update_fields=["status", "heartbeat_at"])
    try:
        kind = kinds.get(job.kind)

        def on_progress(done: int) -> None:
            PrintJob.objects.filter(pk=job.pk).update(done=done, heartbeat_at=timezone.now())

        records = kind.records(ids=job.record_ids)
        with tempfile.TemporaryFile() as target:
            result = kind.write(records, target, on_progress=on_progress)
            target.seek(0)
            job.file.save(f"{job.kind}_{job.pk}.pdf", File(target), save=False)
    except Exception as error:
        job.status = PrintJob.Status.FAILED
        job.error = f"{type(error).__name__}: {error}"
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        raise
    job.status = PrintJob.Status.DONE
    job.done = job.total
    job.pages = result.pages
    job.missing_glyphs = "".join(result.missing_glyphs)[:200]
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "done", "pages", "file", "missing_glyphs", "finished_at"])
    return result.pages
