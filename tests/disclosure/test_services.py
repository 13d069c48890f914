"""The steps of a request: who may take them, the Act's rules each checks, the history."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from disclosure import services
from disclosure.models import Decision, DisclosureRequest, Purge
from registry import roles
from reviews.council.models import Consultation
from tests.factories import (
    AskedSectionFactory,
    DecisionFactory,
    DisclosureRequestFactory,
    SectionFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

RECEIVED = {
    "kind": "disclosure",
    "received_on": dt.date(2026, 6, 3),
    "requester_name": "練馬 花子",
    "requester_address": "東京都練馬区豊玉北6-12-1",
    "identity_document": "my_number",
    "requested_information": "私の住民税の課税記録",
    "method": "view",
}


@pytest.fixture
def clerk():
    return user_with_role(roles.CLERK)


def test_it_numbers_requests_per_fiscal_year_and_writes_history(clerk):
    first = services.request_receive(actor=clerk, data=RECEIVED)
    second = services.request_receive(actor=clerk, data=RECEIVED)
    april = services.request_receive(
        actor=clerk, data=RECEIVED | {"received_on": dt.date(2027, 4, 1)}
    )
    assert (first.fiscal_year, first.number, second.number) == (2026, 1, 2)
    assert (april.fiscal_year, april.number) == (2027, 1)
    assert first.reference == "令和8年度第1号"
    assert first.history.get().history_user == clerk


@pytest.mark.parametrize("role", [roles.REVIEWER, roles.SECTION_STAFF, None])
def test_only_the_clerk_receives_requests(role):
    with pytest.raises(PermissionDenied):
        services.request_receive(actor=user_with_role(role), data=RECEIVED)
    assert not DisclosureRequest.objects.exists()


def test_an_agent_needs_name_and_proof_and_a_correction_its_purpose(clerk):
    with pytest.raises(ValidationError) as error:
        services.request_receive(actor=clerk, data=RECEIVED | {"agent": "appointed"})
    assert "agent_proof" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.request_receive(actor=clerk, data=RECEIVED | {"kind": "correction"})
    assert "purpose" in error.value.message_dict
    assert not DisclosureRequest.objects.exists()


def test_a_correction_pauses_the_clock(clerk):
    request = DisclosureRequestFactory(received_on=dt.date(2026, 6, 3))
    assert request.deadline == dt.date(2026, 7, 3)
    correction = services.correction_ask(
        actor=clerk, request=request, asked_on=dt.date(2026, 6, 10), what="請求の対象の特定"
    )
    request.refresh_from_db()
    assert request.waiting_correction and request.days_left(dt.date(2026, 6, 11)) is None
    services.correction_answer(actor=clerk, correction=correction, answered_on=dt.date(2026, 6, 17))
    request = DisclosureRequest.objects.get(pk=request.pk)
    assert request.deadline == dt.date(2026, 7, 10)
    assert request.days_left(dt.date(2026, 7, 1)) == 9


def test_an_extension_must_be_notified_before_the_first_deadline(clerk):
    request = DisclosureRequestFactory(received_on=dt.date(2026, 6, 3))
    with pytest.raises(ValidationError) as error:
        services.request_extend(
            actor=clerk,
            request=request,
            days=30,
            reason="事務繁忙",
            notified_on=dt.date(2026, 7, 6),
        )
    assert "notified_on" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.request_extend(
            actor=clerk,
            request=request,
            days=31,
            reason="事務繁忙",
            notified_on=dt.date(2026, 7, 1),
        )
    services.request_extend(
        actor=clerk, request=request, days=30, reason="事務繁忙", notified_on=dt.date(2026, 7, 3)
    )
    request.refresh_from_db()
    assert request.first_deadline == dt.date(2026, 7, 3)
    assert request.deadline == dt.date(2026, 8, 3)


def test_the_special_extension_sets_a_date_for_the_rest(clerk):
    request = DisclosureRequestFactory(received_on=dt.date(2026, 6, 3))
    with pytest.raises(ValidationError):
        services.request_extend_special(
            actor=clerk,
            request=request,
            reason="大量",
            notified_on=dt.date(2026, 6, 20),
            until=dt.date(2026, 7, 1),
        )
    services.request_extend_special(
        actor=clerk,
        request=request,
        reason="請求に係る保有個人情報が著しく大量であるため",
        notified_on=dt.date(2026, 6, 20),
        until=dt.date(2026, 10, 30),
    )
    request.refresh_from_db()
    assert request.deadline == dt.date(2026, 10, 30)
    # 60 days from 06-03 is Sun 08-02 → Mon 08-03.
    assert request.part_deadline == dt.date(2026, 8, 3)


def test_the_section_asked_decides_and_no_other(clerk):
    asked = AskedSectionFactory()
    own = user_with_role(roles.SECTION_STAFF, section=asked.section)
    other = user_with_role(roles.SECTION_STAFF, section=SectionFactory())
    data = {"outcome": "full", "decided_on": dt.date(2026, 6, 20), "disclosed": "課税台帳"}
    with pytest.raises(PermissionDenied):
        services.decision_record(actor=other, asked=asked, data=data)
    decision = services.decision_record(actor=own, asked=asked, data=data)
    assert decision.history.get().history_user == own


def test_a_refusal_needs_its_article_78_categories_and_reasons(clerk):
    asked = AskedSectionFactory()
    refused = {"outcome": "refused", "decided_on": dt.date(2026, 6, 20)}
    with pytest.raises(ValidationError):
        services.decision_record(actor=clerk, asked=asked, data=refused)
    with pytest.raises(ValidationError):
        services.decision_record(actor=clerk, asked=asked, data=refused | {"reasons": "理由"})
    with pytest.raises(ValidationError):
        services.decision_record(
            actor=clerk, asked=asked, data=refused | {"reasons": "理由", "categories": ["9"]}
        )
    decision = services.decision_record(
        actor=clerk, asked=asked, data=refused | {"reasons": "第三者の情報", "categories": ["2"]}
    )
    assert decision.category_labels == ["第78条第1項第2号（開示請求者以外の個人に関する情報）"]


def test_a_decision_must_fit_the_kind(clerk):
    asked = AskedSectionFactory(
        request=DisclosureRequestFactory(kind="correction", purpose="住所の誤り", method="")
    )
    with pytest.raises(ValidationError):
        services.decision_record(
            actor=clerk, asked=asked, data={"outcome": "full", "decided_on": dt.date(2026, 6, 20)}
        )
    services.decision_record(
        actor=clerk, asked=asked, data={"outcome": "corrected", "decided_on": dt.date(2026, 6, 20)}
    )


def test_disclosure_waits_two_weeks_after_a_third_partys_objection(clerk):
    decision = DecisionFactory(decided_on=dt.date(2026, 6, 20))
    request = decision.request
    services.request_ask_third_party(
        actor=clerk,
        request=request,
        third_party="株式会社テスト",
        asked_on=dt.date(2026, 6, 5),
        due_on=dt.date(2026, 6, 15),
    )
    services.request_record_objection(actor=clerk, request=request)
    decision = Decision.objects.get(pk=decision.pk)
    with pytest.raises(ValidationError):
        services.decision_implement(
            actor=clerk, decision=decision, implemented_on=dt.date(2026, 7, 4), method="copy"
        )
    services.decision_implement(
        actor=clerk, decision=decision, implemented_on=dt.date(2026, 7, 5), method="copy"
    )


def test_a_request_closes_once_decided_and_disclosed(clerk):
    decision = DecisionFactory()
    request = decision.request
    with pytest.raises(ValidationError):
        services.request_close(actor=clerk, request=request, closed_on=dt.date(2026, 6, 30))
    services.decision_implement(
        actor=clerk, decision=decision, implemented_on=dt.date(2026, 6, 25), method="view"
    )
    services.request_close(actor=clerk, request=request, closed_on=dt.date(2026, 6, 30))
    request.refresh_from_db()
    assert request.status == DisclosureRequest.Status.CLOSED
    with pytest.raises(ValidationError):
        services.correction_ask(
            actor=clerk, request=request, asked_on=dt.date(2026, 7, 1), what="x"
        )


def test_an_objection_becomes_a_numbered_consultation(clerk):
    decision = DecisionFactory(outcome="refused", categories=["7"], reasons="事務に支障")
    objection = services.objection_file(
        actor=clerk, decision=decision, filed_on=dt.date(2026, 7, 1), grounds="開示を求める"
    )
    services.objection_refer(actor=clerk, objection=objection, consulted_on=dt.date(2026, 7, 10))
    objection.refresh_from_db()
    consultation = Consultation.objects.get(pk=objection.consultation_id)
    assert consultation.number >= 1 and consultation.fiscal_year == 2026
    assert consultation.section == decision.asked.section
    assert "練馬 花子" not in consultation.subject
    with pytest.raises(ValidationError):
        services.objection_refer(
            actor=clerk, objection=objection, consulted_on=dt.date(2026, 7, 11)
        )


def test_the_purge_removes_old_closed_requests_and_their_history_keeping_counts(clerk, settings):
    settings.DISCLOSURE_RETENTION_YEARS = 5
    old = DecisionFactory(outcome="nonexistent", reasons="保有していない").request
    services.request_close(actor=clerk, request=old, closed_on=dt.date(2020, 6, 30))
    recent = DecisionFactory(outcome="nonexistent", reasons="保有していない").request
    services.request_close(actor=clerk, request=recent, closed_on=dt.date(2025, 6, 30))
    open_one = DisclosureRequestFactory()
    assert services.requests_purge(today=dt.date(2026, 12, 7)) == 1
    assert set(DisclosureRequest.objects.values_list("pk", flat=True)) == {recent.pk, open_one.pk}
    assert not DisclosureRequest.history.filter(id=old.pk).exists()
    assert not Decision.history.filter(asked_id__in=old.asked.values("pk")).exists()
    purge = Purge.objects.get()
    assert (purge.fiscal_year, purge.kind, purge.requests) == (2026, "disclosure", 1)
    assert purge.decisions == {"nonexistent": 1}
