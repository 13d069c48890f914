"""Mail reminders 7 and 2 days before a deadline, the dashboard's overdue count and the
purge run by housekeeping."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from disclosure.models import DisclosureRequest, Purge
from notifications.models import Notice
from notifications.services import reminders_send
from registry import roles
from tests.factories import (
    AskedSectionFactory,
    DecisionFactory,
    DisclosureRequestFactory,
    SectionFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

# Received Wed 2026-06-03: the deadline is Fri 2026-07-03.
SEVEN_BEFORE, TWO_BEFORE = dt.date(2026, 6, 26), dt.date(2026, 7, 1)


@pytest.fixture
def asked():
    return AskedSectionFactory(request=DisclosureRequestFactory(received_on=dt.date(2026, 6, 3)))


def test_the_section_yet_to_decide_and_the_clerk_are_reminded_7_and_2_days_before(asked):
    staff = user_with_role(roles.SECTION_STAFF, section=asked.section, email="ka@example.jp")
    other = user_with_role(roles.SECTION_STAFF, section=SectionFactory(), email="x@example.jp")
    clerk = user_with_role(roles.CLERK, email="jimu@example.jp")
    assert reminders_send(today=dt.date(2026, 6, 27)) == 0
    assert reminders_send(today=SEVEN_BEFORE) == 2
    assert reminders_send(today=SEVEN_BEFORE) == 0  # once per reminder day
    assert {tuple(m.to) for m in mail.outbox} == {("ka@example.jp",), ("jimu@example.jp",)}
    assert "期限まで7日" in mail.outbox[0].subject
    assert asked.request.requester_name not in mail.outbox[0].subject + mail.outbox[0].body
    assert reminders_send(today=TWO_BEFORE) == 2
    assert Notice.objects.filter(recipient=other).count() == 0
    assert Notice.objects.filter(recipient=staff, days_before=2).exists()
    assert Notice.objects.filter(recipient=clerk).count() == 2


def test_no_reminder_once_every_section_has_decided(asked):
    user_with_role(roles.CLERK)
    DecisionFactory(asked=asked)
    assert reminders_send(today=SEVEN_BEFORE) == 0


def test_the_dashboard_counts_overdue_requests_the_user_may_see(client, asked):
    DisclosureRequest.objects.filter(pk=asked.request.pk).update(received_on=dt.date(2025, 1, 6))
    clerk = user_with_role(roles.CLERK)
    reviewer = user_with_role(roles.REVIEWER)
    client.force_login(clerk)
    page = client.get(reverse("dashboard")).content.decode()
    assert "決定期限を過ぎた開示請求等: 1 件" in page
    client.force_login(reviewer)
    assert "決定期限を過ぎた開示請求等" not in client.get(reverse("dashboard")).content.decode()


def test_housekeeping_purges_closed_requests_past_retention(settings):
    settings.DISCLOSURE_RETENTION_YEARS = 1
    DisclosureRequestFactory(status="closed", closed_on=dt.date(2020, 5, 1))
    DisclosureRequestFactory()
    out = io.StringIO()
    call_command("housekeeping", stdout=out)
    assert "保存期間を過ぎた開示請求等: 1件" in out.getvalue()
    assert DisclosureRequest.objects.count() == 1
    assert Purge.objects.get().requests == 1
