"""Background work of the printing app (django-tasks, database backend).

A print job is split into parts of PRINT_CHUNK_SIZE records. Every worker process takes
parts from the same database queue, so two workers on this machine (or more on more
machines) render a batch at once; the worker that finishes the last part merges the
parts into the job's file.
"""

import tempfile

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from printing import kinds
from printing.merge import merge_pdfs
from printing.models import PrintJob
from printing.render import LANGUAGE


def _part_name(job: PrintJob, index: int) -> str:
    return f"printjobs/parts/{job.pk}_{job.attempt}_{index:05d}.pdf"


def _parts(job: PrintJob) -> list[list[int]]:
    """The job's ids cut into `parts_total` parts, the same in every worker whatever
    its own settings."""
    size = -(-len(job.record_ids) // job.parts_total)
    return [job.record_ids[i : i + size] for i in range(0, len(job.record_ids), size)]


# What the job's page tells its user; the exception itself (English, technical) stays in
# the task's result, where the task worker's admin shows its traceback.
UNEXPECTED = "PDFの作成中に予期しない誤りが起きました。管理者に連絡してください。"


def _fail(job_id: str, error: Exception) -> None:
    PrintJob.objects.filter(pk=job_id, status=PrintJob.Status.RUNNING).update(
        status=PrintJob.Status.FAILED, error=UNEXPECTED, finished_at=timezone.now()
    )


@task()
def print_job_run(job_id: str) -> int:
    """Take a queued job and queue its parts, in print order. Returns the number of
    parts."""
    name = PrintJob.objects.get(pk=job_id).kind
    try:
        kind = kinds.get(name)
    except LookupError:
        PrintJob.objects.filter(pk=job_id, status=PrintJob.Status.QUEUED).update(
            status=PrintJob.Status.FAILED,
            error=f"帳票の種類「{name}」はもうありません。管理者に連絡してください。",
            finished_at=timezone.now(),
        )
        raise
    with transaction.atomic():
        job = PrintJob.objects.select_for_update().get(pk=job_id)
        if job.status != PrintJob.Status.QUEUED:
            return job.parts_total  # a duplicate delivery of a job that was already taken
        # The ids in the kind's print order, so the merged parts keep it.
        job.record_ids = list(kind.records(ids=job.record_ids).values_list("pk", flat=True))
        if not job.record_ids:
            job.status = PrintJob.Status.FAILED
            job.error = "印刷する記録がありません（削除された可能性があります）。"
            job.finished_at = timezone.now()
            job.save()
            return 0
        job.status = PrintJob.Status.RUNNING
        job.heartbeat_at = timezone.now()
        job.attempt += 1
        job.parts_total = -(-len(job.record_ids) // settings.PRINT_CHUNK_SIZE)
        job.parts_done = job.done = job.pages = 0
        job.save()
        for index in range(job.parts_total):
            print_job_part.enqueue(str(job.pk), job.attempt, index)
    return job.parts_total


@task()
def print_job_part(job_id: str, attempt: int, index: int) -> int:
    """Render (or read from the store) one part of a job into a file of its own; the
    worker finishing the last part merges them. Returns the part's number of pages."""
    job = PrintJob.objects.get(pk=job_id)
    if job.status != PrintJob.Status.RUNNING or job.attempt != attempt:
        return 0  # the job failed meanwhile, or this part belongs to an earlier attempt
    try:
        kind = kinds.get(job.kind)
        ids = _parts(job)[index]
        # The part's ids in the job's order: the queryset's own order is the same.
        records = kind.records(ids=ids)
        with tempfile.TemporaryFile() as target:
            result = kind.write(records, target)
            target.seek(0)
            name = _part_name(job, index)
            default_storage.delete(name)
            default_storage.save(name, File(target))
    except Exception as error:
        _fail(job_id, error)
        raise
    with transaction.atomic():
        job = PrintJob.objects.select_for_update().get(pk=job_id)
        if job.status != PrintJob.Status.RUNNING or job.attempt != attempt:
            default_storage.delete(name)
            return 0
        missing = dict.fromkeys(job.missing_glyphs + "".join(result.missing_glyphs))
        job.done = F("done") + len(ids)
        job.pages = F("pages") + result.pages
        job.parts_done = F("parts_done") + 1
        job.missing_glyphs = "".join(missing)[:200]
        job.heartbeat_at = timezone.now()
        job.save(update_fields=["done", "pages", "parts_done", "missing_glyphs", "heartbeat_at"])
        job.refresh_from_db()
        last = job.parts_done == job.parts_total
    if last:
        _finish(job)
    return result.pages


def _finish(job: PrintJob) -> None:
    """Merge the parts into the job's file (each font once) and offer it."""
    kind = kinds.get(job.kind)
    names = [_part_name(job, index) for index in range(job.parts_total)]

    def parts():
        for name in names:
            with default_storage.open(name, "rb") as part:
                yield part.read()

    try:
        with tempfile.TemporaryFile() as target:
            merge_pdfs(
                parts(),
                target,
                title=lambda _: f"{kind.label} {job.total}件",
                author=settings.PRINT_AUTHOR,
                language=LANGUAGE,
            )
            target.seek(0)
            job.file.save(f"{job.kind}_{job.pk}.pdf", File(target), save=False)
    except Exception as error:
        _fail(str(job.pk), error)
        raise
    finally:
        for name in names:
            default_storage.delete(name)
    job.status = PrintJob.Status.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "file", "finished_at"])


@task(priority=-50)
def pdfs_store(kind_name: str, record_ids: list[int]) -> int:
    """Print ahead: render and keep the PDFs of newly approved versions, so that their
    first print (a clerk's, a resident's from the public register) reads a file instead
    of rendering one. After every interactive task (exports, print jobs, imports): a
    register approved in bulk is printed ahead over minutes. Returns how many were
    rendered."""
    kind = kinds.get(kind_name)
    return kind.store(kind.records(ids=record_ids))


def pdfs_store_enqueue(*, model, record_ids: list[int]) -> None:
    """Once the transaction commits, print ahead the records of `model` (every kind
    that prints them), PRINT_CHUNK_SIZE to a task so that two workers share a batch."""
    ids = sorted(record_ids)

    def enqueue() -> None:
        for kind in kinds.for_model(model):
            for chunk in kinds.chunks(ids, settings.PRINT_CHUNK_SIZE):
                pdfs_store.enqueue(kind.name, chunk)

    transaction.on_commit(enqueue, robust=True)
