"""An import whose worker died is noticed, saved nothing, and can be run again."""

import datetime as dt
import io

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from exchange.models import ImportRecord
from exchange.services import INTERRUPTED
from registry.roles import CLERK, REVIEWER, SECTION_STAFF
from tests.factories import SectionFactory, UserFactory, user_with_role


def _stuck(user, **fields) -> ImportRecord:
    defaults = {
        "user": user,
        "register": "相手方",
        "resource_path": "registry.resources.OrganizationResource",
        "file_name": "相手方.xlsx",
        "file_format": "xlsx",
        "file_data": b"PK...",
        "state": ImportRecord.State.RUNNING,
        "total_rows": 1200,
        "processed_rows": 400,
        "heartbeat_at": timezone.now() - dt.timedelta(minutes=10),
    }
    return ImportRecord.objects.create(**(defaults | fields))


def test_it_fails_a_silent_import_and_keeps_a_fresh_one(db, settings):
    user = UserFactory(is_staff=True, is_superuser=True)
    silent = _stuck(user)
    fresh = _stuck(user, heartbeat_at=timezone.now())
    out = io.StringIO()
    call_command("housekeeping", stdout=out)
    assert "中断された取り込み: 1件" in out.getvalue()
    silent.refresh_from_db()
    fresh.refresh_from_db()
    assert (silent.state, silent.messages) == ("failed", [INTERRUPTED])
    assert silent.file_data  # kept for the retry
    assert fresh.state == "running"


def test_the_uploader_can_run_an_interrupted_import_again(client, db):
    user = UserFactory(is_staff=True, is_superuser=True)
    record = _stuck(user, state=ImportRecord.State.FAILED, messages=[INTERRUPTED])
    client.force_login(user)
    page = client.get(reverse("admin:exchange_importrecord_progress", args=[record.pk]))
    assert "もう一度実行する" in page.content.decode()
    with_commit = client.post(reverse("admin:exchange_importrecord_retry", args=[record.pk]))
    assert with_commit.status_code == 302
    record.refresh_from_db()
    assert (record.state, record.processed_rows, record.messages) == ("preview_queued", 0, [])


def test_someone_else_cannot_retry_and_a_finished_import_is_not_retried(client, db):
    owner = UserFactory(is_staff=True, is_superuser=True)
    record = _stuck(owner, state=ImportRecord.State.FAILED)
    # Only the uploader, the 事務局 (or a superuser) may run it again: a reviewer does
    # not even find someone else's import.
    client.force_login(user_with_role(REVIEWER))
    page = client.get(reverse("admin:exchange_importrecord_progress", args=[record.pk]))
    assert page.status_code == 404
    retry = client.post(reverse("admin:exchange_importrecord_retry", args=[record.pk]))
    assert retry.status_code == 404
    record.refresh_from_db()
    assert record.state == "failed"
    done = _stuck(owner, state=ImportRecord.State.DONE, file_data=b"")
    client.force_login(owner)
    response = client.post(
        reverse("admin:exchange_importrecord_retry", args=[done.pk]), follow=True
    )
    assert "中断された取り込みだけ" in response.content.decode()
    assert not DBTaskResult.objects.exists()


def test_the_clerk_runs_a_sections_interrupted_import_again(
    client, db, django_capture_on_commit_callbacks
):
    section = SectionFactory()
    owner = user_with_role(SECTION_STAFF, section)
    record = _stuck(owner, state=ImportRecord.State.FAILED, messages=[INTERRUPTED])
    client.force_login(user_with_role(CLERK))
    page = client.get(reverse("admin:exchange_importrecord_progress", args=[record.pk]))
    assert 'id="import-retry"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:exchange_importrecord_retry", args=[record.pk]))
    record.refresh_from_db()
    assert (record.state, record.messages) == ("preview_queued", [])
    assert DBTaskResult.objects.count() == 1


def _staff_stuck(owner) -> ImportRecord:
    return _stuck(
        owner,
        register="外部委託記録票",
        resource_path="consignments.resources.ConsignmentResource",
        state=ImportRecord.State.FAILED,
        messages=[INTERRUPTED],
    )


def test_section_staff_run_their_killed_import_again_from_the_staff_page(
    client, db, django_capture_on_commit_callbacks
):
    owner = user_with_role(SECTION_STAFF, SectionFactory())
    record = _staff_stuck(owner)
    url = reverse("consignments:import_status", args=[record.pk])
    client.force_login(owner)
    page = client.get(url).content.decode()
    assert "もう一度実行する" in page and 'name="retry"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"retry": "1"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.state, record.messages) == ("preview_queued", [])
    assert DBTaskResult.objects.count() == 1
    # Queued again: no second button, and a second POST changes nothing.
    assert 'name="retry"' not in client.get(url).content.decode()
    client.post(url, {"retry": "1"})
    assert DBTaskResult.objects.count() == 1


def test_another_sections_staff_cannot_retry_a_killed_import(client, db):
    record = _staff_stuck(user_with_role(SECTION_STAFF, SectionFactory()))
    client.force_login(user_with_role(SECTION_STAFF, SectionFactory()))
    url = reverse("consignments:import_status", args=[record.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"retry": "1"}).status_code == 404
    record.refresh_from_db()
    assert record.state == "failed"
    assert not DBTaskResult.objects.exists()


def test_a_file_already_pruned_offers_no_retry(client, db):
    owner = user_with_role(SECTION_STAFF, SectionFactory())
    record = _staff_stuck(owner)
    ImportRecord.objects.filter(pk=record.pk).update(file_data=b"")
    client.force_login(owner)
    url = reverse("consignments:import_status", args=[record.pk])
    assert 'name="retry"' not in client.get(url).content.decode()
    response = client.post(url, {"retry": "1"}, follow=True)
    assert "中断された取り込みだけ" in response.content.decode()
    assert not DBTaskResult.objects.exists()


def test_housekeeping_drops_kept_files_after_the_retention(db, settings):
    user = UserFactory(is_staff=True, is_superuser=True)
    old = _stuck(user, state=ImportRecord.State.PREVIEWED)
    ImportRecord.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=settings.JOB_RETENTION_DAYS + 1)
    )
    recent = _stuck(user, state=ImportRecord.State.PREVIEWED)
    call_command("housekeeping", stdout=io.StringIO())
    old.refresh_from_db()
    recent.refresh_from_db()
    assert bytes(old.file_data) == b"" and bytes(recent.file_data) == b"PK..."
