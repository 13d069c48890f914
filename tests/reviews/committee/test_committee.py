"""The internal committee: clerks keep meetings, a section prepares an agenda item that
puts its 電算処理 and Form 5 records forward, and the decision a reviewer records
becomes those records' approval basis (or returns them)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from notation import wareki
from registry import roles
from reviews.committee import services
from reviews.committee.models import AgendaItem, CommitteeMeeting
from reviews.workflow import services as workflow
from reviews.workflow.services import WorkflowError
from reviews.workflow.states import Action, State
from tests.factories import (
    AgendaItemFactory,
    BusinessFactory,
    CommitteeMeetingFactory,
    LinkageFactory,
    PreApprovalCategoryFactory,
    ProcessingFactory,
    SectionFactory,
    agenda_record,
    user_with_role,
)
from tests.pdf_text import page_texts, squeeze

pytestmark = pytest.mark.django_db

DECIDED_ON = dt.date(2024, 6, 20)


@pytest.fixture
def section():
    return SectionFactory(department="総務部", name="税務課")


@pytest.fixture
def staff(section):
    return user_with_role(roles.SECTION_STAFF, section)


@pytest.fixture
def reviewer():
    return user_with_role(roles.REVIEWER)


@pytest.fixture
def records(section):
    business = BusinessFactory(section=section)
    processing = ProcessingFactory(business=business, state=State.SUBMITTED)
    linkage = LinkageFactory(business=business, state=State.SUBMITTED)
    return processing, linkage


@pytest.fixture
def item(section, records):
    item = AgendaItemFactory(section=section)
    for position, record in enumerate(records, start=1):
        agenda_record(item, record, position)
    return item


def test_only_clerks_keep_meetings(staff):
    data = {"title": "令和6年度第3回個人情報保護管理運営会議", "held_on": DECIDED_ON}
    with pytest.raises(PermissionDenied):
        services.meeting_create(actor=staff, data=data)
    clerk = user_with_role(roles.CLERK)
    meeting = services.meeting_create(actor=clerk, data=data)
    assert meeting.history.get().history_user == clerk
    assert str(meeting) == "令和6年度第3回個人情報保護管理運営会議（令和6年6月20日）"


def test_the_section_puts_its_own_unapproved_records_forward(section, staff, records):
    meeting = CommitteeMeetingFactory()
    data = {
        "meeting": meeting,
        "material_number": "9",
        "section": section,
        "subject": "外部結合等について",
        "kinds": ["processing", "linkage"],
        "project_name": "事業",
        "purpose": "目的",
        "targets": "対象者",
        "summary": "概要",
    }
    rows = [{"record": r, "request": "追加する。"} for r in records]
    item = services.agenda_item_create(actor=staff, data=data, records=rows)
    assert [e.record for e in item.records.all()] == list(records)
    assert item.history.get().history_user == staff

    other = LinkageFactory(state=State.SUBMITTED)
    approved = LinkageFactory(business=records[0].business, state=State.APPROVED)
    with pytest.raises(ValidationError) as refused:
        services.agenda_item_save(
            actor=staff,
            item=item,
            data={},
            records=[{"record": other, "request": "x"}, {"record": approved, "request": ""}],
        )
    assert refused.value.messages == [
        f"電算結合記録票「{other}」は担当部課（{section}）の記録ではありません。",
        f"電算結合記録票「{approved}」は承認済みです。変更を始めて、変更版を付議してください。",
        f"電算結合記録票「{approved}」の付議内容を入力してください。",
    ]
    assert item.records.count() == 2
    with pytest.raises(PermissionDenied):
        services.agenda_item_save(
            actor=user_with_role(roles.SECTION_STAFF, SectionFactory()),
            item=item,
            data={"subject": "他課"},
            records=rows,
        )


def test_an_approval_makes_the_decision_every_records_basis(item, records, reviewer):
    services.agenda_item_decide(
        actor=reviewer, item=item, decision="approved", decided_on=DECIDED_ON, comment=""
    )
    item.refresh_from_db()
    assert (item.decision, item.decided_on, item.decided_by) == ("approved", DECIDED_ON, reviewer)
    for record in records:
        record.refresh_from_db()
        assert record.state == State.APPROVED
        assert record.approval_agenda_item == item
        assert record.approval_basis == (
            "令和6年度第3回個人情報保護管理運営会議 資料9"
            "「軽自動車税納付確認システムとの外部結合等について」（承認）"
        )
        assert record.approved_content == record.printed_content()
        transition = record.transitions.get(action=Action.APPROVE)
        assert transition.actor == reviewer
        assert str(item) in transition.comment
    with pytest.raises(WorkflowError, match="承認と決定済みです"):
        services.agenda_item_decide(
            actor=reviewer, item=item, decision="rejected", decided_on=DECIDED_ON, comment="x"
        )
    with pytest.raises(WorkflowError):
        services.agenda_item_save(
            actor=user_with_role(roles.SECTION_STAFF, item.section), item=item, data={}, records=[]
        )


def test_a_rejection_returns_the_records_with_the_reason(item, records, reviewer):
    with pytest.raises(ValidationError, match="不承認の理由を入力してください"):
        services.agenda_item_decide(
            actor=reviewer, item=item, decision="rejected", decided_on=DECIDED_ON
        )
    services.agenda_item_decide(
        actor=reviewer,
        item=item,
        decision="rejected",
        decided_on=DECIDED_ON,
        comment="委託先の管理体制を補足すること。",
    )
    for record in records:
        record.refresh_from_db()
        assert record.state == State.RETURNED
        assert record.approval_agenda_item is None
        returned = record.transitions.get(action=Action.RETURN)
        assert "委託先の管理体制を補足すること。" in returned.comment


def test_the_decision_is_refused_whole_while_a_record_is_not_under_review(
    item, records, reviewer, staff
):
    processing, linkage = records
    processing.state = State.DRAFT
    processing.save()
    with pytest.raises(ValidationError) as refused:
        services.agenda_item_decide(
            actor=reviewer, item=item, decision="approved", decided_on=DECIDED_ON
        )
    assert refused.value.messages == [
        f"電算処理「{processing}」は「下書き」です。審査に提出されてから決定を記録してください。"
    ]
    linkage.refresh_from_db()
    assert linkage.state == State.SUBMITTED
    assert AgendaItem.objects.get(pk=item.pk).decision == ""
    with pytest.raises(PermissionDenied):
        services.agenda_item_decide(
            actor=staff, item=item, decision="approved", decided_on=DECIDED_ON
        )


def test_a_decision_is_no_basis_for_a_record_it_did_not_put_forward(item, reviewer):
    item.decision = AgendaItem.Decision.APPROVED
    item.save()
    stranger = ProcessingFactory(business__section=item.section, state=State.SUBMITTED)
    with pytest.raises(ValidationError, match="この記録を付議していません"):
        workflow.record_approve(actor=reviewer, record=stranger, agenda_item=item)
    undecided = AgendaItemFactory(section=item.section)
    agenda_record(undecided, stranger)
    with pytest.raises(ValidationError, match="承認または条件付き承認と決定した付議事項"):
        workflow.record_approve(actor=reviewer, record=stranger, agenda_item=undecided)


def test_a_record_put_forward_waits_for_the_committee(item, records, reviewer):
    """Approved on another basis while the committee has still to decide, a record would
    come to the meeting already approved."""
    category = PreApprovalCategoryFactory()
    for record in records:
        with pytest.raises(ValidationError, match="会議の決定を待っています"):
            workflow.record_approve(actor=reviewer, record=record, category=category)
        record.refresh_from_db()
        assert record.state == State.SUBMITTED
    services.agenda_item_decide(
        actor=reviewer, item=item, decision="approved", decided_on=DECIDED_ON, comment=""
    )
    for record in records:
        record.refresh_from_db()
        assert record.state == State.APPROVED


def test_the_pages_follow_the_section_and_the_reviewer_decides_there(
    client, item, records, reviewer
):
    detail = reverse("committee:item_detail", args=[item.pk])
    assert client.get(detail).status_code == 302
    client.force_login(user_with_role(roles.SECTION_STAFF, SectionFactory()))
    assert client.get(detail).status_code == 404
    assert client.get(reverse("committee:item_pdf", args=[item.pk])).status_code == 404
    client.force_login(user_with_role(roles.SECTION_STAFF, item.section))
    page = client.get(detail)
    assert page.status_code == 200 and page.context["decision_form"] is None
    client.force_login(reviewer)
    assert client.get(detail).context["decision_form"] is not None
    response = client.post(
        reverse("committee:item_decide", args=[item.pk]),
        {"decision": "conditional", "decided_on": "令和6年6月20日", "comment": "運用状況を報告"},
        follow=True,
    )
    assert "決定を記録しました。付議した記録に反映しました。" in response.content.decode()
    assert {r.__class__.objects.get(pk=r.pk).state for r in records} == {State.APPROVED}
    assert "（条件付き承認）" in response.content.decode()


def test_the_meeting_packet_holds_only_the_items_the_user_may_see(client, item):
    other = AgendaItemFactory(meeting=item.meeting, position=2, subject="他課の付議事項")
    agenda_record(other, ProcessingFactory(business__section=other.section))
    url = reverse("committee:meeting_pdf", args=[item.meeting.pk])
    client.force_login(user_with_role(roles.SECTION_STAFF, SectionFactory()))
    assert client.get(url).status_code == 404
    client.force_login(user_with_role(roles.SECTION_STAFF, item.section))
    text = squeeze("".join(page_texts(client.get(url).content)))
    assert squeeze(item.subject) in text and "他課の付議事項" not in text
    client.force_login(user_with_role(roles.CLERK, is_staff=True))
    text = squeeze("".join(page_texts(client.get(url).content)))
    assert text.index(squeeze(item.subject)) < text.index("他課の付議事項")
    assert CommitteeMeeting.objects.count() == 1


def test_staff_prepare_an_item_on_the_staff_page(client, section, staff, records):
    meeting = CommitteeMeetingFactory()
    client.force_login(staff)
    form = client.get(reverse("committee:item_new"))
    choices = dict(form.context["rows"].forms[0].fields["record"].choices)
    processing, linkage = records
    assert f"processing.processing:{processing.pk}" in choices
    data = {
        "meeting": meeting.pk,
        "position": "1",
        "material_number": "9",
        "subject": "外部結合等について",
        "basis_article": "第3条第1項第3号",
        "kinds": ["processing", "linkage"],
        "project_name": "事業",
        "purpose": "目的",
        "targets": "対象者",
        "summary": "概要",
        "records-TOTAL_FORMS": "2",
        "records-INITIAL_FORMS": "0",
        "records-0-record": f"processing.processing:{processing.pk}",
        "records-0-request": "軽JNKSの対象に小型二輪の納付情報を追加する。",
        "records-1-record": f"linkages.linkage:{linkage.pk}",
        "records-1-request": "",
    }
    refused = client.post(reverse("committee:item_new"), data)
    assert refused.status_code == 200
    assert f"電算結合記録票「{linkage}」の付議内容を入力してください。" in refused.content.decode()
    assert not AgendaItem.objects.exists()
    response = client.post(
        reverse("committee:item_new"), data | {"records-1-request": "小型二輪を追加する。"}
    )
    item = AgendaItem.objects.get()
    assert response["Location"] == reverse("committee:item_detail", args=[item.pk])
    assert item.section == section
    assert [(e.record, e.request) for e in item.records.all()] == [
        (processing, "軽JNKSの対象に小型二輪の納付情報を追加する。"),
        (linkage, "小型二輪を追加する。"),
    ]


def test_the_clerk_adds_a_meeting_in_the_admin_and_reviewers_read_items(client, item):
    clerk = user_with_role(roles.CLERK)
    client.force_login(clerk)
    response = client.post(
        reverse("admin:reviews_committeemeeting_add"),
        {
            "title": "令和6年度第4回個人情報保護管理運営会議",
            "held_on": "令和6年9月1日",
            "items-TOTAL_FORMS": "0",
            "items-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    meeting = CommitteeMeeting.objects.get(title="令和6年度第4回個人情報保護管理運営会議")
    assert meeting.held_on == dt.date(2024, 9, 1)
    assert meeting.history.get().history_user == clerk
    client.force_login(user_with_role(roles.REVIEWER))
    assert client.get(reverse("admin:reviews_committeemeeting_add")).status_code == 403
    page = client.get(reverse("admin:reviews_agendaitem_change", args=[item.pk]))
    assert page.status_code == 200
    assert item.subject in page.content.decode()


def test_a_decision_dated_after_today_is_refused_and_approves_nothing(
    client, item, records, reviewer
):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.agenda_item_decide(
            actor=reviewer, item=item, decision="approved", decided_on=tomorrow
        )
    [message] = refused.value.message_dict["decided_on"]
    assert f"決定日（{wareki.format_date(tomorrow)}）が今日" in message
    assert AgendaItem.objects.get(pk=item.pk).decision == ""
    assert {r.__class__.objects.get(pk=r.pk).state for r in records} == {State.SUBMITTED}

    client.force_login(reviewer)
    response = client.post(
        reverse("committee:item_decide", args=[item.pk]),
        {"decision": "approved", "decided_on": wareki.format_date(tomorrow), "comment": ""},
        follow=True,
    )
    assert response.status_code == 200
    assert "より後です。会議で決定した後に" in response.content.decode()
    assert {r.__class__.objects.get(pk=r.pk).state for r in records} == {State.SUBMITTED}
    # Today is a day the committee may have met.
    services.agenda_item_decide(
        actor=reviewer, item=item, decision="approved", decided_on=timezone.localdate()
    )
    assert {r.__class__.objects.get(pk=r.pk).state for r in records} == {State.APPROVED}
