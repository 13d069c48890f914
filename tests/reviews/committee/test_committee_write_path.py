"""The committee's steps write as every register does (registry.audited): text stored
in its JIS X 0208 form whoever saves it, the admin included, and the history naming who
saved."""

import datetime as dt

import pytest
from django.urls import reverse

from registry import roles
from reviews.committee import services
from reviews.committee.models import AgendaItem, CommitteeMeeting
from reviews.workflow.states import State
from tests.factories import (
    BusinessFactory,
    CommitteeMeetingFactory,
    LinkageFactory,
    SectionFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

TYPED = "第4回～第5回"  # U+FF5E, as Windows types it
STORED = "第4回〜第5回"  # U+301C, its JIS X 0208 character


def test_a_meeting_saved_in_the_admin_is_stored_in_jis_with_who_saved_it(client):
    clerk = user_with_role(roles.CLERK)
    client.force_login(clerk)
    response = client.post(
        reverse("admin:reviews_committeemeeting_add"),
        {
            "title": TYPED,
            "held_on": "令和6年9月1日",
            "items-TOTAL_FORMS": "0",
            "items-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    meeting = CommitteeMeeting.objects.get(held_on=dt.date(2024, 9, 1))
    assert meeting.title == STORED
    history = meeting.history.get()
    assert (history.title, history.history_user) == (STORED, clerk)

    services.meeting_save(actor=clerk, meeting=meeting, data={"title": f"{TYPED}（変更）"})
    meeting.refresh_from_db()
    assert meeting.title == f"{STORED}（変更）"
    assert meeting.history.latest().history_user == clerk


def test_an_agenda_item_and_its_records_are_stored_in_jis_with_who_saved_them():
    section = SectionFactory()
    staff = user_with_role(roles.SECTION_STAFF, section)
    linkage = LinkageFactory(business=BusinessFactory(section=section), state=State.SUBMITTED)
    data = {
        "meeting": CommitteeMeetingFactory(),
        "material_number": "9",
        "section": section,
        "subject": TYPED,
        "kinds": ["linkage"],
        "project_name": "事業",
        "purpose": TYPED,
        "targets": "対象者",
        "summary": "概要",
    }
    item = services.agenda_item_create(
        actor=staff, data=data, records=[{"record": linkage, "request": TYPED}]
    )
    item = AgendaItem.objects.get(pk=item.pk)
    assert (item.subject, item.purpose) == (STORED, STORED)
    assert item.history.get().history_user == staff
    entry = item.records.get()
    assert entry.request == STORED
    assert entry.history.get().history_user == staff

    services.agenda_item_save(
        actor=staff,
        item=item,
        data={"summary": TYPED},
        records=[{"record": linkage, "request": "追加する。"}],
    )
    item.refresh_from_db()
    assert item.summary == STORED
    assert [(h.history_type, h.history_user) for h in item.history.order_by("history_id")] == [
        ("+", staff),
        ("~", staff),
    ]


def test_the_decisions_reason_is_stored_in_jis():
    section = SectionFactory()
    staff = user_with_role(roles.SECTION_STAFF, section)
    linkage = LinkageFactory(business=BusinessFactory(section=section), state=State.SUBMITTED)
    item = services.agenda_item_create(
        actor=staff,
        data={
            "meeting": CommitteeMeetingFactory(),
            "material_number": "9",
            "section": section,
            "subject": "外部結合等について",
            "kinds": ["linkage"],
            "project_name": "事業",
            "purpose": "目的",
            "targets": "対象者",
            "summary": "概要",
        },
        records=[{"record": linkage, "request": "追加する。"}],
    )
    reviewer = user_with_role(roles.REVIEWER)
    services.agenda_item_decide(
        actor=reviewer,
        item=item,
        decision=AgendaItem.Decision.REJECTED,
        decided_on=dt.date(2024, 6, 20),
        comment=TYPED,
    )
    item.refresh_from_db()
    assert item.decision_comment == STORED
    assert item.history.latest().history_user == reviewer
