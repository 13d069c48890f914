"""Jobs that survive a crash: a print job whose worker is killed mid-batch is noticed,
marked failed without a file, and made again by its retry button; old files go."""

import datetime as dt
import io
import os
import signal
import subprocess
import time

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from consignments.models import Consignment
from printing.models import PrintJob
from printing.services import INTERRUPTED, print_job_start
from tests.factories import ConsignmentFactory, UserFactory
from tests.pdf_text import page_texts
from tests.printing.test_print_jobs import run_worker, worker_command

background = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def clerk():
    return UserFactory(username="jimu-test", is_staff=True, is_superuser=True)


def _wait(predicate, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError("timed out")


@background
def test_a_job_whose_worker_was_killed_is_failed_and_made_again(client, clerk, settings):
    # Enough forms that the worker is killed mid-batch (it is polled every 20 ms and
    # renders one form in about 0.1 s), and few, since the retry renders them all.
    ConsignmentFactory.create_batch(8)
    ids = list(Consignment.objects.values_list("pk", flat=True))
    job = print_job_start(actor=clerk, kind="form2", record_ids=ids)
    command, environment = worker_command("--interval", "0", "-v", "0", PRINT_CHUNK_SIZE="1")
    worker = subprocess.Popen(command, env=environment, start_new_session=True)
    try:
        _wait(lambda: PrintJob.objects.filter(pk=job.pk, done__gte=2).exists())
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    job.refresh_from_db()
    assert job.status == PrintJob.Status.RUNNING and 0 < job.done < job.total  # stuck

    # Within the lease nothing is touched; after it, housekeeping notices.
    call_command("housekeeping", stdout=io.StringIO())
    job.refresh_from_db()
    assert job.status == PrintJob.Status.RUNNING
    settings.JOB_LEASE_SECONDS = 0
    out = io.StringIO()
    call_command("housekeeping", stdout=out)
    assert "中断された一括印刷: 1件" in out.getvalue()
    job.refresh_from_db()
    assert (job.status, job.error, bool(job.file)) == ("failed", INTERRUPTED, False)

    client.force_login(clerk)
    page = client.get(reverse("printing:job_detail", args=[job.pk])).content.decode()
    assert "作業プロセスの停止" in page and "job-retry" in page and "job-file" not in page
    assert client.get(reverse("printing:job_file", args=[job.pk])).status_code == 404

    client.post(reverse("printing:job_retry", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.done) == ("queued", 0)
    run_worker(PRINT_CHUNK_SIZE="20")
    job.refresh_from_db()
    assert (job.status, job.done, job.pages) == ("done", len(ids), len(ids))
    response = client.get(reverse("printing:job_file", args=[job.pk]))
    assert len(page_texts(b"".join(response.streaming_content))) == len(ids)


def test_only_the_requester_may_retry_and_only_a_failed_job(db, client, clerk):
    job = PrintJob.objects.create(
        kind="form2", record_ids=[1], total=1, requested_by=clerk, status="done"
    )
    client.force_login(clerk)
    response = client.post(reverse("printing:job_retry", args=[job.pk]), follow=True)
    assert "失敗した一括印刷だけ" in response.content.decode()
    job.refresh_from_db()
    assert job.status == "done"
    PrintJob.objects.filter(pk=job.pk).update(status="failed")
    client.force_login(UserFactory(is_staff=True))
    assert client.post(reverse("printing:job_retry", args=[job.pk])).status_code == 404


def test_housekeeping_removes_old_print_files(db, client, clerk, settings):
    job = PrintJob.objects.create(
        kind="form2", record_ids=[1], total=1, requested_by=clerk, status="done", pages=1
    )
    job.file.save("old.pdf", ContentFile(b"%PDF-1.7"), save=False)
    job.finished_at = timezone.now() - dt.timedelta(days=settings.JOB_RETENTION_DAYS + 1)
    job.save()
    path = job.file.path
    call_command("housekeeping", stdout=io.StringIO())
    job.refresh_from_db()
    assert not job.file
    assert not os.path.exists(path)
    client.force_login(clerk)
    page = client.get(reverse("printing:job_detail", args=[job.pk])).content.decode()
    assert "保存期間を過ぎたため削除されました" in page
