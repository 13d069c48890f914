"""附帯意見 reminders before the due date and when overdue (each once, from the task
worker, queued by `manage.py sendreminders`), and each user's pending items on the
dashboard."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from notifications.models import Notice
from notifications.pending import pending_items
from notifications.services import reminders_send
from registry import roles
from reviews.council.models import Obligation
from reviews.workflow.states import State
from tests.factories import (
    BusinessFactory,
    ConsignmentFactory,
    ObligationFactory,
    SectionFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def section():
    return SectionFactory(name="収納課")


@pytest.fixture
def staff(section):
    return user_with_role(roles.SECTION_STAFF, section, email="staff@example.jp")


def test_an_obligation_is_reminded_once_before_it_falls_due_and_once_when_overdue(
    section, staff, settings
):
    settings.NOTIFY_DUE_DAYS = 14
    due_soon = ObligationFactory(owner=section, due_on=TODAY + dt.timedelta(days=10))
    ObligationFactory(owner=section, due_on=TODAY + dt.timedelta(days=30))  # not yet
    ObligationFactory(owner=section, due_on=TODAY, status=Obligation.Status.DONE)  # met
    ObligationFactory(owner=SectionFactory(), due_on=TODAY)  # another section's

    assert reminders_send(today=TODAY) == 1
    [message] = mail.outbox
    assert message.to == ["staff@example.jp"]
    assert message.subject.startswith("【附帯意見・期限が近づいています】")
    assert "令和8年12月10日" in message.subject
    assert reminders_send(today=TODAY) == 0

    later = TODAY + dt.timedelta(days=11)
    assert reminders_send(today=later) == 1
    overdue = mail.outbox[-1]
    assert overdue.subject.startswith("【附帯意見・期限切れ】")
    assert "まだ対応済みになっていません" in overdue.body
    assert reminders_send(today=later) == 0
    assert set(Notice.objects.filter(obligation=due_soon).values_list("kind", flat=True)) == {
        Notice.Kind.OBLIGATION_DUE,
        Notice.Kind.OBLIGATION_OVERDUE,
    }


def test_the_command_queues_the_reminders_for_the_worker():
    call_command("sendreminders", stdout=io.StringIO())
    task = DBTaskResult.objects.get()
    assert task.task_path == "notifications.tasks.send_reminders"
    assert mail.outbox == []


def test_staff_see_their_sections_returned_records_and_obligations(section, staff, client):
    returned = ConsignmentFactory(business=BusinessFactory(section=section), state=State.RETURNED)
    ConsignmentFactory(business=BusinessFactory(section=SectionFactory()), state=State.RETURNED)
    ObligationFactory(owner=section, due_on=TODAY - dt.timedelta(days=1), text="期限切れの附帯意見")
    items = pending_items(staff, today=TODAY)
    assert [(i.kind, i.overdue) for i in items] == [
        ("差し戻された記録票", False),
        ("附帯意見（期限切れ）", True),
    ]
    assert items[0].url == reverse("consignments:detail", args=[returned.pk])

    client.force_login(staff)
    page = client.get(reverse("dashboard")).content.decode()
    assert "あなたの対応待ち" in page
    assert f"外部委託記録票 No.{returned.pk}" in page
    assert "期限切れの附帯意見" in page


def test_reviewers_see_the_records_waiting_for_review(section):
    waiting = ConsignmentFactory(business=BusinessFactory(section=section), state=State.SUBMITTED)
    reviewer = user_with_role(roles.REVIEWER)
    [item] = pending_items(reviewer, today=TODAY)
    assert item.kind == "審査待ち"
    assert item.url == reverse("admin:consignments_consignment_change", args=[waiting.pk])


def test_clerks_see_every_overdue_obligation_with_its_section(section):
    ObligationFactory(owner=section, due_on=TODAY - dt.timedelta(days=1))
    ObligationFactory(owner=section, due_on=TODAY + dt.timedelta(days=1))
    [item] = pending_items(user_with_role(roles.CLERK), today=TODAY)
    assert item.overdue
    assert str(section) in item.label


def test_the_dashboard_lists_the_users_own_notices(section, staff, client):
    Notice.objects.create(
        kind=Notice.Kind.OBLIGATION_DUE, recipient=staff, subject="自分あてのお知らせ"
    )
    Notice.objects.create(
        kind=Notice.Kind.OBLIGATION_DUE,
        recipient=user_with_role(roles.REVIEWER),
        subject="他人あてのお知らせ",
    )
    client.force_login(staff)
    page = client.get(reverse("dashboard")).content.decode()
    assert "自分あてのお知らせ" in page
    assert "他人あてのお知らせ" not in page
