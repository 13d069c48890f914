"""Printing from the admin: the 印刷 button, the action, and large batches that run on
the database task backend with a real worker."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from printing import tasks
from printing.models import PrintJob
from printing.services import print_job_start
from printing.tasks import print_job_run
from reviews.workflow.states import State
from tests.database import database_url
from tests.factories import LinkageFactory, UserFactory
from tests.pdf_text import page_texts

pytestmark = pytest.mark.usefixtures("seed")


@pytest.fixture
def superuser():
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def worker_command(*options: str, **env: str) -> tuple[list[str], dict[str, str]]:
    """The database backend's own worker, in a process of its own as in production,
    on the test database."""
    manage = Path(django_settings.BASE_DIR) / "manage.py"
    command = [sys.executable, str(manage), "db_worker", "--no-reload", "--no-startup-delay"]
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
        "SECRET_KEY": "worker-under-test",
        **env,
    }
    return [*command, *options], environment


def run_worker(**env: str) -> None:
    """Run the worker until the queue is empty."""
    command, environment = worker_command("--batch", "--interval", "0", "-v", "0", **env)
    result = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


# The worker is another process: it only sees committed rows, so these tests commit
# (and the database is restored afterwards).
background = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize(
    ("admin_url", "print_url"),
    [
        ("admin:consignments_consignment_change", "consignments:form2_pdf"),
        ("admin:linkages_linkage_change", "linkages:form5_pdf"),
    ],
)
def test_it_offers_a_print_button_on_the_change_form(admin_client, admin_url, print_url):
    response = admin_client.get(reverse(admin_url, args=[1]))
    assert response.status_code == 200
    assert f'href="{reverse(print_url, args=[1])}"' in response.content.decode()
    assert "印刷（PDF）" in response.content.decode()


def test_it_warns_on_the_change_form_about_characters_the_fonts_lack(admin_client):
    # A draft prints its live data (an approved record prints what was approved).
    draft = LinkageFactory(state=State.DRAFT, purpose="・納付書情報を送信する🪐")
    response = admin_client.get(reverse("admin:linkages_linkage_change", args=[draft.pk]))
    assert "帳票のフォントにない文字があります" in response.content.decode()
    assert "🪐" in response.content.decode()


def test_it_prints_the_selected_records_as_one_pdf(admin_client):
    response = admin_client.post(
        reverse("admin:consignments_consignment_changelist"),
        {"action": "print_form2", "_selected_action": [2, 7, 3]},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    texts = page_texts(response.content)
    assert len(texts) == 3
    # In register order: 0404-01 (pk 2, 3) before 0404-02 (pk 7).
    assert ["電子マネー事業者" in t for t in texts] == [False, True, False]
    assert "０４０４―０２" in texts[2]
    assert PrintJob.objects.count() == 0


@background
def test_it_runs_a_large_selection_in_the_background(admin_client, superuser, settings):
    settings.PRINT_BACKGROUND_THRESHOLD = 3
    extra = LinkageFactory.create_batch(3)
    ids = [1, 2, *(linkage.pk for linkage in extra)]
    response = admin_client.post(
        reverse("admin:linkages_linkage_changelist"),
        {"action": "print_form5", "_selected_action": ids},
    )
    job = PrintJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("printing:job_detail", args=[job.pk])
    assert (job.kind, job.total, job.done, job.status) == ("form5", 5, 0, "queued")
    task = DBTaskResult.objects.get()
    assert task.status == "READY"

    page = admin_client.get(response["Location"]).content.decode()
    assert "待機中" in page
    assert 'data-poll-seconds="2"' in page  # fetches its progress in place (tests/e2e)
    assert "job-file" not in page

    run_worker(PRINT_CHUNK_SIZE="2")  # three parts merged into one file

    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert task.return_value == 3  # the parts it queued
    parts = DBTaskResult.objects.exclude(pk=task.pk)
    assert sorted(part.args_kwargs["args"][2] for part in parts) == [0, 1, 2]
    assert {part.status for part in parts} == {"SUCCESSFUL"}
    job.refresh_from_db()
    assert (job.status, job.done, job.pages, job.parts_done) == ("done", 5, 5, 3)
    assert not list((Path(django_settings.MEDIA_ROOT) / "printjobs" / "parts").glob("*"))
    page = admin_client.get(response["Location"]).content.decode()
    assert "完了" in page
    assert "data-poll-seconds" not in page and "poll_progress" not in page
    file_response = admin_client.get(reverse("printing:job_file", args=[job.pk]))
    assert file_response["Content-Type"] == "application/pdf"
    texts = page_texts(b"".join(file_response.streaming_content))
    assert len(texts) == 5
    assert "特別区民税・都民税に関する業務" in texts[0]
    assert extra[-1].business.name in texts[4]


@background
def test_it_records_a_failed_job(superuser):
    job = print_job_start(actor=superuser, kind="form5", record_ids=[1])
    # The kind is checked when the job starts; a job whose kind has since gone away
    # fails in the worker and says why.
    PrintJob.objects.filter(pk=job.pk).update(kind="retired")
    run_worker()
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error == "帳票の種類「retired」はもうありません。管理者に連絡してください。"
    assert DBTaskResult.objects.get().status == "FAILED"


def test_a_failure_is_told_in_japanese_and_its_cause_is_left_to_the_task(superuser):
    # A part's file is gone when the job is merged: the exception goes on to the task's
    # result (its traceback, for the administrator); the job's page says it in Japanese.
    job = PrintJob.objects.create(
        kind="form5", record_ids=[1], total=1, parts_total=1, parts_done=1,
        status=PrintJob.Status.RUNNING, requested_by=superuser,
    )  # fmt: skip
    with pytest.raises(FileNotFoundError):
        tasks._finish(job)
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error == "PDFの作成中に予期しない誤りが起きました。管理者に連絡してください。"


def test_it_shows_a_job_only_to_whoever_asked_for_it(client, superuser):
    job = PrintJob.objects.create(kind="form5", record_ids=[1], total=1, requested_by=superuser)
    detail = reverse("printing:job_detail", args=[job.pk])
    assert client.get(detail).status_code == 302  # anonymous: to the login
    client.force_login(UserFactory(is_staff=True))
    assert client.get(detail).status_code == 404
    assert client.get(reverse("printing:job_file", args=[job.pk])).status_code == 404
    client.force_login(superuser)
    assert client.get(detail).status_code == 200
    # Not finished yet: no file to fetch.
    assert client.get(reverse("printing:job_file", args=[job.pk])).status_code == 404


@background
def test_two_workers_render_the_parts_of_one_job_at_once(superuser, settings):
    extra = LinkageFactory.create_batch(14)
    ids = [1, 2, *(linkage.pk for linkage in extra)]
    job = print_job_start(actor=superuser, kind="form5", record_ids=ids)
    settings.PRINT_CHUNK_SIZE = 1
    assert print_job_run.call(str(job.pk)) == 16  # one part per form, queued
    command, environment = worker_command("--batch", "--interval", "0", "-v", "0")
    workers = [subprocess.Popen(command, env=environment) for _ in range(2)]
    for worker in workers:
        assert worker.wait(timeout=180) == 0
    job.refresh_from_db()
    assert (job.status, job.done, job.pages, job.parts_done) == ("done", 16, 16, 16)
    parts = DBTaskResult.objects.filter(task_path__endswith="print_job_part")
    assert len({part.worker_ids[0] for part in parts}) == 2, "both workers took parts"
    texts = page_texts(job.file.read())
    assert len(texts) == 16
    assert "特別区民税・都民税に関する業務" in texts[0]
    assert extra[-1].business.name in texts[-1]
