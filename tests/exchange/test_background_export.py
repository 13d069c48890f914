"""Exports of any size never in a request: above EXPORT_IN_REQUEST_MAX_ROWS the task
worker writes the file and only the requester (or a superuser) may download it; rows
are read with a constant number of queries whatever the register's size."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consignments.models import Consignment, RecordKind, TransferForm
from exchange.models import ExportRecord
from printing.http import content_disposition
from registry.roles import CLERK
from registry.services import register_update
from tests.exchange.conftest import load_xlsx
from tests.factories import (
    BusinessFactory,
    ConsignmentFactory,
    OrganizationFactory,
    UserFactory,
    user_with_role,
)

pytestmark = pytest.mark.usefixtures("seed")

EXPORT_URL = reverse("admin:consignments_consignment_export")


def export_form_data(client) -> dict:
    form = client.get(EXPORT_URL).context["form"]
    return {"format": "0", "resource": "0"} | {
        name: "on"
        for name, field in form.fields.items()
        if getattr(field, "is_selectable_field", 0)
    }


def add_consignments(count: int) -> None:
    kinds = list(RecordKind.objects.all()[:2])
    forms = list(TransferForm.objects.all()[:1])
    for _ in range(count):
        record = ConsignmentFactory(business=BusinessFactory(), record_kinds=kinds)
        record.transfer_forms.set(forms)
        # Each record its own contractor: a cell naming one must not query per row.
        record.contractors.set([OrganizationFactory()])


@pytest.fixture
def clerk(db):
    return user_with_role(CLERK)


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


def test_an_export_reads_its_rows_in_a_constant_number_of_queries(clerk_client):
    data = export_form_data(clerk_client)

    def queries_for(count: int) -> int:
        add_consignments(count)
        with CaptureQueriesContext(connection) as queries:
            response = clerk_client.post(EXPORT_URL, data)
        assert response.status_code == 200 and response.content[:2] == b"PK"
        rows = len(load_xlsx(response.content))
        assert rows == Consignment.objects.count()
        return len(queries)

    small = queries_for(5)
    assert queries_for(45) == small  # 50 records added in all


def test_a_small_export_answers_in_the_request(clerk_client):
    response = clerk_client.post(EXPORT_URL, export_form_data(clerk_client))
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert not ExportRecord.objects.exists()


@pytest.fixture
def large_export(settings, clerk_client, clerk, django_capture_on_commit_callbacks, task_worker):
    """An export above the threshold: the request only records it; the worker writes it."""
    settings.EXPORT_IN_REQUEST_MAX_ROWS = 3
    add_consignments(5)
    data = export_form_data(clerk_client)
    with django_capture_on_commit_callbacks(execute=True):
        response = clerk_client.post(EXPORT_URL, data)
    record = ExportRecord.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:exchange_exportrecord_progress", args=[record.pk])
    assert record.state == ExportRecord.State.QUEUED and not record.file
    page = clerk_client.get(response.url).content.decode()
    assert "書き出し待ち" in page and "data-poll-seconds" in page
    task_worker()
    record.refresh_from_db()
    return record


def test_a_large_export_is_written_by_the_worker_and_downloaded(large_export, clerk_client):
    assert large_export.state == ExportRecord.State.DONE
    assert large_export.user == clerk_client.get(EXPORT_URL).wsgi_request.user
    page = clerk_client.get(
        reverse("admin:exchange_exportrecord_progress", args=[large_export.pk])
    ).content.decode()
    assert 'id="export-file"' in page and "data-poll-seconds" not in page
    response = clerk_client.get(reverse("admin:exchange_exportrecord_file", args=[large_export.pk]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    dataset = load_xlsx(content)
    assert len(dataset) == Consignment.objects.count() == large_export.total_rows
    assert "記録の種別：戸籍等事項" in dataset.headers
    day = f"{timezone.localdate(large_export.created_at):%Y%m%d}"
    assert response["Content-Disposition"] == content_disposition(
        f"外部委託記録票_{day}.xlsx", fallback=f"consignment_{day}.xlsx"
    )


def test_only_the_requester_and_superusers_may_download(large_export, client):
    file_url = reverse("admin:exchange_exportrecord_file", args=[large_export.pk])
    progress_url = reverse("admin:exchange_exportrecord_progress", args=[large_export.pk])
    client.force_login(user_with_role(CLERK))  # another clerk: the same rights, not theirs
    assert client.get(file_url).status_code == 404
    assert client.get(progress_url).status_code == 404
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(file_url).status_code == 200
    client.logout()
    response = client.get(file_url)
    assert response.status_code == 302 and "login" in response.url


def test_a_missing_file_answers_a_japanese_410(large_export, clerk_client):
    large_export.file.storage.delete(large_export.file.name)
    response = clerk_client.get(reverse("admin:exchange_exportrecord_file", args=[large_export.pk]))
    assert response.status_code == 410
    assert "書き出したファイルがありません" in response.content.decode()


def test_housekeeping_removes_files_past_their_retention(large_export, settings, clerk_client):
    ExportRecord.objects.filter(pk=large_export.pk).update(
        finished_at=timezone.now() - dt.timedelta(days=settings.JOB_RETENTION_DAYS + 1)
    )
    name = large_export.file.name
    call_command("housekeeping")
    large_export.refresh_from_db()
    assert not large_export.file and not large_export.file.storage.exists(name)
    response = clerk_client.get(reverse("admin:exchange_exportrecord_file", args=[large_export.pk]))
    assert response.status_code == 410


def export_again(client, capture) -> ExportRecord:
    with capture(execute=True):
        client.post(EXPORT_URL, export_form_data(client))
    return ExportRecord.objects.latest("pk")


def stored_bytes(record: ExportRecord) -> bytes:
    with record.file.open("rb") as file:
        return file.read()


def test_an_export_of_unchanged_data_reuses_the_file_written_before(
    large_export, clerk_client, django_capture_on_commit_callbacks, task_worker
):
    written = stored_bytes(large_export)
    again = export_again(clerk_client, django_capture_on_commit_callbacks)
    task_worker()
    again.refresh_from_db()
    assert again.state == ExportRecord.State.DONE and again.pk != large_export.pk
    assert again.content_key == large_export.content_key != ""
    # Its own copy of the bytes: removing the older file past its retention leaves this
    # one whole.
    assert again.file.name != large_export.file.name
    assert stored_bytes(again) == written
    assert again.total_rows == large_export.total_rows
    # Copied, not written anew: a third export copies what the earlier file now holds.
    with large_export.file.open("wb") as file:
        file.write(b"PK written before")
    ExportRecord.objects.filter(pk=again.pk).update(content_key="")
    third = export_again(clerk_client, django_capture_on_commit_callbacks)
    task_worker()
    third.refresh_from_db()
    assert stored_bytes(third) == b"PK written before"


def test_an_export_after_a_change_is_written_anew_with_it(
    large_export, clerk_client, django_capture_on_commit_callbacks, task_worker
):
    contractor = Consignment.objects.latest("pk").contractors.get()
    register_update(
        actor=UserFactory(is_staff=True, is_superuser=True),
        row=contractor,
        data={"name": "株式会社書き直し"},
    )
    again = export_again(clerk_client, django_capture_on_commit_callbacks)
    task_worker()
    again.refresh_from_db()
    assert again.state == ExportRecord.State.DONE
    assert again.content_key not in ("", large_export.content_key)
    assert "株式会社書き直し" in str(load_xlsx(stored_bytes(again)).dict)
    assert "株式会社書き直し" not in str(load_xlsx(stored_bytes(large_export)).dict)


def test_another_person_s_export_of_the_same_rows_is_written_for_them(
    large_export, client, django_capture_on_commit_callbacks, task_worker
):
    client.force_login(user_with_role(CLERK))
    again = export_again(client, django_capture_on_commit_callbacks)
    task_worker()
    again.refresh_from_db()
    assert again.state == ExportRecord.State.DONE
    assert again.content_key not in ("", large_export.content_key)
