"""Who sees print batches: the requester and the 事務局 (every batch, in the admin list
and on its page, and may make a failed one again); other staff neither."""

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from printing.models import PrintJob
from registry import roles
from tests.factories import SectionFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def requester():
    return user_with_role(roles.SECTION_STAFF, SectionFactory())


@pytest.fixture
def failed_job(requester):
    return PrintJob.objects.create(
        kind="form2", record_ids=[1], requested_by=requester, total=1, status="failed"
    )


def test_the_clerk_lists_every_print_batch(client, failed_job):
    client.force_login(user_with_role(roles.CLERK))
    page = client.get(reverse("admin:printing_printjob_changelist"))
    assert page.status_code == 200
    assert reverse("printing:job_detail", args=[failed_job.pk]) in page.content.decode()
    detail = client.get(reverse("printing:job_detail", args=[failed_job.pk]))
    assert detail.status_code == 200
    assert "もう一度作成する" in detail.content.decode()


def test_the_clerk_makes_a_failed_batch_again(
    client, failed_job, django_capture_on_commit_callbacks
):
    client.force_login(user_with_role(roles.CLERK))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("printing:job_retry", args=[failed_job.pk]))
    failed_job.refresh_from_db()
    assert failed_job.status == "queued"
    assert DBTaskResult.objects.count() == 1


@pytest.mark.parametrize("role", [roles.SECTION_STAFF, roles.REVIEWER])
def test_other_staff_neither_list_nor_open_nor_retry(client, failed_job, role):
    client.force_login(user_with_role(role, SectionFactory(), is_staff=True))
    # Not for them: the admin refuses (403) or sends section staff to its login.
    assert client.get(reverse("admin:printing_printjob_changelist")).status_code in (302, 403)
    assert client.get(reverse("printing:job_detail", args=[failed_job.pk])).status_code == 404
    assert client.post(reverse("printing:job_retry", args=[failed_job.pk])).status_code == 404
    failed_job.refresh_from_db()
    assert failed_job.status == "failed"
    assert not DBTaskResult.objects.exists()


def test_the_requester_sees_their_own_batch_but_not_the_list(client, failed_job, requester):
    requester.is_staff = True
    requester.save()
    client.force_login(requester)
    assert client.get(reverse("printing:job_detail", args=[failed_job.pk])).status_code == 200
    # Not for them: the admin refuses (403) or sends section staff to its login.
    assert client.get(reverse("admin:printing_printjob_changelist")).status_code in (302, 403)
