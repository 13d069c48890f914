"""Reviewers hear of a submission, section staff of a return and an approval: by e-mail,
sent by the task worker once the step has committed, each notice once."""

import pytest
from django.core import mail
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from notifications.models import Notice
from notifications.services import notices_for_transition
from registry import roles
from reviews.workflow import services
from reviews.workflow.states import State
from tests.factories import (
    BusinessFactory,
    ConsignmentFactory,
    PreApprovalCategoryFactory,
    SectionFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

IMMEDIATE = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default"],
    }
}


@pytest.fixture
def section():
    return SectionFactory()


@pytest.fixture
def staff(section):
    return user_with_role(roles.SECTION_STAFF, section, email="staff@example.jp", last_name="収納")


@pytest.fixture
def colleague(section):
    return user_with_role(roles.SECTION_STAFF, section, email="colleague@example.jp")


@pytest.fixture
def reviewer():
    return user_with_role(roles.REVIEWER, email="reviewer@example.jp", last_name="審査")


@pytest.fixture
def outsider():
    return user_with_role(roles.SECTION_STAFF, SectionFactory(), email="other@example.jp")


@pytest.fixture
def draft(section):
    return ConsignmentFactory(business=BusinessFactory(section=section), state=State.DRAFT)


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE


def test_a_submission_is_mailed_to_reviewers_from_the_task_queue(
    draft, staff, reviewer, outsider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.record_submit(actor=staff, record=draft)
    # Queued for the worker; nothing sent in the request that took the step.
    assert mail.outbox == []
    task = DBTaskResult.objects.get()
    assert task.task_path == "notifications.tasks.send_transition_notices"

    transition = draft.transitions.get(action="submit")
    assert notices_for_transition(transition=transition) == 1
    [message] = mail.outbox
    assert message.to == ["reviewer@example.jp"]
    assert message.subject == f"【審査依頼】外部委託記録票 No.{draft.pk}（{draft}）"
    assert "収納さんが" in message.body
    assert f"/admin/consignments/consignment/{draft.pk}/change/" in message.body


def test_a_return_and_an_approval_are_mailed_to_the_sections_staff(
    draft, staff, colleague, reviewer, outsider, immediate_tasks, django_capture_on_commit_callbacks
):
    category = PreApprovalCategoryFactory(number=17)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_submit(actor=staff, record=draft)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_return(actor=reviewer, record=draft, comment="委託内容を具体的に。")
    returned = [m for m in mail.outbox if m.subject.startswith("【差戻し】")]
    assert sorted(to for m in returned for to in m.to) == [
        "colleague@example.jp",
        "staff@example.jp",
    ]
    assert "委託内容を具体的に。" in returned[0].body
    assert f"/consignments/{draft.pk}/" in returned[0].body

    mail.outbox.clear()
    draft.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.record_submit(actor=staff, record=draft)
    draft.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.record_approve(actor=reviewer, record=draft, category=category)
    resubmitted = [m for m in mail.outbox if m.subject.startswith("【審査依頼】")]
    assert "再提出" in resubmitted[0].body
    approved = [m for m in mail.outbox if m.subject.startswith("【承認】")]
    assert sorted(to for m in approved for to in m.to) == [
        "colleague@example.jp",
        "staff@example.jp",
    ]
    assert "other@example.jp" not in {to for m in mail.outbox for to in m.to}


def test_each_notice_is_sent_once_even_when_the_task_runs_again(draft, staff, reviewer):
    services.record_submit(actor=staff, record=draft)
    transition = draft.transitions.get(action="submit")
    assert notices_for_transition(transition=transition) == 1
    assert notices_for_transition(transition=transition) == 0
    assert len(mail.outbox) == 1
    assert Notice.objects.get().recipient == reviewer


def test_a_user_without_an_address_still_gets_the_notice_on_record(draft, staff):
    silent = user_with_role(roles.REVIEWER, email="")
    services.record_submit(actor=staff, record=draft)
    notices_for_transition(transition=draft.transitions.get(action="submit"))
    assert mail.outbox == []
    assert Notice.objects.get().recipient == silent


def test_a_step_that_is_rolled_back_tells_nobody(
    draft, staff, reviewer, immediate_tasks, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.record_submit(actor=staff, record=draft)
        raise RuntimeError
    assert callbacks == []
    assert mail.outbox == []


def test_a_failing_listener_does_not_undo_or_break_the_step(
    draft, staff, monkeypatch, django_capture_on_commit_callbacks
):
    from reviews.workflow import events

    def broken(transition):
        raise ConnectionError("task queue unreachable")

    monkeypatch.setattr(events, "_listeners", [broken])
    with django_capture_on_commit_callbacks(execute=True):
        services.record_submit(actor=staff, record=draft)
    draft.refresh_from_db()
    assert draft.state == State.SUBMITTED
