"""The council's records change only through its services: the actor's role is checked,
the change is recorded with the actor's name, and the admin calls the same services."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from tablib import Dataset

from exchange.runs import error_messages
from registry import roles
from reviews.council import services
from reviews.council.resources import ConsultationResource
from reviews.models import (
    CategoryExample,
    Consultation,
    CouncilMeeting,
    Obligation,
    PreApprovalReport,
)
from tests.factories import (
    AnswerFactory,
    ConsultationFactory,
    ObligationFactory,
    PreApprovalCategoryFactory,
    PreApprovalReportFactory,
    ReportItemFactory,
    SectionFactory,
    user_with_role,
)
from tests.reviews.council.test_report_pages import report_post

pytestmark = pytest.mark.django_db


def change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


@pytest.fixture
def clerk():
    return user_with_role(roles.CLERK, last_name="事務", first_name="花子")


@pytest.fixture
def reviewer():
    return user_with_role(roles.REVIEWER, last_name="審査", first_name="太郎")


# --- pre-approval reports -------------------------------------------------------------


def test_a_reviewer_cannot_rewrite_another_sections_report_in_the_admin(client, reviewer):
    own, other = SectionFactory(name="収納課"), SectionFactory(name="税務課")
    report = PreApprovalReportFactory(section=own, overview="収納課の報告")
    item = ReportItemFactory(report=report)
    client.force_login(reviewer)
    response = client.post(
        change_url(report),
        {
            "section": other.pk,
            "title": report.title,
            "overview": "書き換えた概要",
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "1",
            "items-0-id": item.pk,
            "items-0-report": report.pk,
        },
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert (report.section, report.overview) == (own, "収納課の報告")
    # Reading stays possible.
    assert client.get(change_url(report)).status_code == 200


def test_a_report_never_moves_to_another_section():
    own, other = SectionFactory(), SectionFactory()
    staff = user_with_role(roles.SECTION_STAFF, own)
    report = PreApprovalReportFactory(section=own)
    item = ReportItemFactory(report=report)
    with pytest.raises(ValidationError, match="所管課は変更できません"):
        services.report_save(
            actor=staff,
            report=report,
            section=other,
            data={},
            items=[{"id": item.pk}],
        )
    with pytest.raises(ValidationError, match="変更できない項目"):
        services.report_save(
            actor=staff, report=report, data={"section": other}, items=[{"id": item.pk}]
        )
    report.refresh_from_db()
    assert report.section == own


def test_the_staff_report_page_shows_who_changed_what(client):
    section = SectionFactory(name="収納課")
    staff = user_with_role(roles.SECTION_STAFF, section, last_name="収納", first_name="一郎")
    category = PreApprovalCategoryFactory(number=17)
    client.force_login(staff)
    first = {
        "name": "電子マネーによる納付",
        "applies_from": "平成31年4月",
        "category": category.pk,
        "contractors": "収納代行事業者",
    }
    client.post(reverse("council:report_new"), report_post([first]))
    report = PreApprovalReport.objects.get()
    item = report.items.get()
    changed = report_post(
        [first | {"id": item.pk, "report": report.pk, "contractors": "電子マネー事業者"}],
        initial=1,
        overview="電子マネーでの納付を始める。",
    )
    assert client.post(reverse("council:report_edit", args=[report.pk]), changed).status_code == 302

    history = report.history.order_by("history_id")
    assert [(h.history_type, h.history_user) for h in history] == [("+", staff), ("~", staff)]
    page = client.get(reverse("council:report_detail", args=[report.pk])).content.decode()
    assert "変更履歴" in page
    assert "収納 一郎" in page
    assert "新たな納付方法を導入する。" in page and "電子マネーでの納付を始める。" in page
    assert "項目「電子マネーによる納付」" in page and "電子マネー事業者" in page


def test_the_admin_history_of_a_report_lists_its_items_changes(client, reviewer):
    section = SectionFactory()
    staff = user_with_role(roles.SECTION_STAFF, section)
    category = PreApprovalCategoryFactory()
    item = {"name": "ペイジーによる納付", "applies_from": dt.date(2020, 1, 1)}
    item |= {"category": category, "contractors": "日本MPN運営機構"}
    report = services.report_save(
        actor=staff, section=section, data={"overview": "概要"}, items=[item]
    )
    services.report_save(
        actor=staff,
        report=report,
        data={},
        items=[item | {"id": report.items.get().pk, "contractors": "MPN共同利用センター"}],
    )
    client.force_login(reviewer)
    url = reverse("admin:reviews_preapprovalreport_history", args=[report.pk])
    page = client.get(url).content.decode()
    assert "委託先および委託内容" in page
    assert "日本MPN運営機構" in page and "MPN共同利用センター" in page


# --- consultations, meetings, answers, obligations ----------------------------------


def test_only_clerks_keep_the_councils_records(reviewer):
    consultation = ConsultationFactory()
    answer = AnswerFactory()
    obligation = ObligationFactory()
    staff = user_with_role(roles.SECTION_STAFF, SectionFactory())
    for actor in (reviewer, staff):
        with pytest.raises(PermissionDenied):
            services.consultation_update(
                actor=actor, consultation=consultation, data={"subject": "x"}
            )
        with pytest.raises(PermissionDenied):
            services.meeting_create(actor=actor, data={"held_on": dt.date(2026, 5, 1)})
        with pytest.raises(PermissionDenied):
            services.answer_update(actor=actor, answer=answer, data={"chair": "x"})
        with pytest.raises(PermissionDenied):
            services.obligation_update(actor=actor, obligation=obligation, data={"status": "done"})
    assert not CouncilMeeting.objects.exists()
    obligation.refresh_from_db()
    assert obligation.status == Obligation.Status.OPEN


def test_an_obligations_status_changed_in_the_admin_is_recorded_with_the_clerk(client, clerk):
    obligation = ObligationFactory()
    client.force_login(clerk)
    response = client.post(
        change_url(obligation),
        {
            "text": obligation.text,
            "owner": obligation.owner_id,
            "due_on": "令和8年3月31日",
            "status": "done",
            "note": "報告を受けた。",
        },
    )
    assert response.status_code == 302
    obligation.refresh_from_db()
    assert obligation.status == Obligation.Status.DONE
    latest = obligation.history.latest()
    assert (latest.history_user, latest.status, latest.note) == (clerk, "done", "報告を受けた。")
    page = client.get(
        reverse("admin:reviews_obligation_history", args=[obligation.pk])
    ).content.decode()
    assert "状況" in page and "対応中" in page and "対応済み" in page and "事務 花子" in page


def test_a_consultation_changed_in_the_admin_keeps_its_number_and_records_the_clerk(client, clerk):
    consultation = services.consultation_create(
        actor=clerk, consulted_on=dt.date(2026, 5, 1), subject="旧件名"
    )
    client.force_login(clerk)
    response = client.post(
        change_url(consultation),
        {
            "consulted_on": "令和8年5月1日",
            "subject": "新件名",
            "answer-TOTAL_FORMS": "0",
            "answer-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert (consultation.subject, consultation.number) == ("新件名", 1)
    assert [h.history_user for h in consultation.history.all()] == [clerk, clerk]


def test_moving_a_consultation_to_another_fiscal_year_is_refused_on_the_page(client, clerk):
    consultation = services.consultation_create(
        actor=clerk, consulted_on=dt.date(2026, 5, 1), subject="件名"
    )
    client.force_login(clerk)
    response = client.post(
        change_url(consultation),
        {
            "consulted_on": "令和9年5月1日",
            "subject": "件名",
            "answer-TOTAL_FORMS": "0",
            "answer-INITIAL_FORMS": "0",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "年度の変わる諮問日には変更できません" in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.consulted_on == dt.date(2026, 5, 1)


def test_an_answer_added_in_the_consultation_admin_goes_through_the_service(client, clerk):
    consultation = ConsultationFactory()
    client.force_login(clerk)
    response = client.post(
        change_url(consultation),
        {
            "consulted_on": "令和7年6月1日",
            "subject": consultation.subject,
            "answer-TOTAL_FORMS": "1",
            "answer-INITIAL_FORMS": "0",
            "answer-0-number": "3",
            "answer-0-number_prefix": "答申",
            "answer-0-answered_on": "令和7年9月1日",
            "answer-0-conclusion": "approved",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    answer = Consultation.objects.get(pk=consultation.pk).answer
    assert answer.history.get().history_user == clerk


# --- examples (事例) ---------------------------------------------------------------


def test_reviewers_keep_examples_and_section_staff_cannot(reviewer):
    category = PreApprovalCategoryFactory()
    example = services.example_create(
        actor=reviewer, category=category, data={"text": "携帯電話収納業務"}
    )
    assert example.history.get().history_user == reviewer
    staff = user_with_role(roles.SECTION_STAFF, SectionFactory())
    with pytest.raises(PermissionDenied):
        services.example_update(actor=staff, example=example, data={"text": "書き換え"})
    assert CategoryExample.objects.get().text == "携帯電話収納業務"


def test_a_meeting_added_in_the_admin_records_the_consultations_it_took_up(client, clerk):
    consultation = ConsultationFactory(subject="電算結合について")
    client.force_login(clerk)
    response = client.post(
        reverse("admin:reviews_councilmeeting_add"),
        {
            "held_on": "令和7年7月1日",
            "title": "第3回審議会",
            "consultations": [consultation.pk],
            "agenda": "審議",
        },
    )
    assert response.status_code == 302
    meeting = CouncilMeeting.objects.get()
    assert list(meeting.consultations.all()) == [consultation]
    assert {h.history_user for h in meeting.history.all()} == {clerk}
    page = client.get(
        reverse("admin:reviews_councilmeeting_history", args=[meeting.pk])
    ).content.decode()
    assert "審議した諮問" in page and str(consultation) in page


def test_consultations_are_imported_only_by_clerks_and_the_import_is_recorded(clerk, reviewer):
    dataset = Dataset(headers=["諮問日", "諮問番号", "件名", "諮問の概要"])
    dataset.append(["平成21年10月22日", "23", "モバイルレジ", ""])
    result = ConsultationResource(user=reviewer).import_data(dataset)
    assert error_messages(result) == [
        "取り込む権限がないため、諮問を登録・変更できません。"
        "登録・変更の権限を持つ職員が管理画面から取り込んでください。"
    ]
    assert not Consultation.objects.exists()

    dataset = Dataset(headers=["諮問日", "諮問番号", "件名", "諮問の概要"])
    dataset.append(["平成21年10月22日", "23", "モバイルレジ", ""])
    result = ConsultationResource(user=clerk).import_data(dataset)
    assert not result.has_errors() and not result.has_validation_errors()
    imported = Consultation.objects.get()
    assert (imported.fiscal_year, imported.number) == (2009, 23)
    assert imported.history.get().history_user == clerk
    # The next consultation of that year is numbered after the imported one.
    later = services.consultation_create(
        actor=clerk, consulted_on=dt.date(2009, 11, 1), subject="次の諮問"
    )
    assert later.number == 24
