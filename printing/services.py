"""Starting print jobs."""

from collections.abc import Sequence

from django.db import transaction

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
