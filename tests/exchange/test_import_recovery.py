"""An import whose worker died is noticed, saved nothing, and can be run again."""

import datetime as dt
import io

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from exchange.models import ImportRecord
from exchange.services import INTERRUPTED
from registry.roles import CLERK
from tests.factories import UserFactory, user_with_role


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
    # Only the uploader (or a superuser) may run it again.
    client.force_login(user_with_role(CLERK))
    # Someone else's import is not even found.
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
