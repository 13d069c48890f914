"""The admin receives and corrects requests through the services; an objection reaches
the council and its answer shows on the request's page."""

import datetime as dt

import pytest
from django.urls import reverse

from disclosure import services
from disclosure.models import DisclosureRequest
from registry import roles
from tests.factories import AnswerFactory, DecisionFactory, user_with_role

pytestmark = pytest.mark.django_db

FORM = {
    "kind": "suspension",
    "received_on": "令和8年6月3日",
    "requester_name": "練馬 花子",
    "requester_address": "東京都練馬区豊玉北6-12-1",
    "identity_document": "passport",
    "requested_information": "住民記録",
    "purpose": "目的外に利用されている",
    **{
        f"{prefix}-{key}": value
        for prefix in ("asked", "corrections")
        for key, value in (
            ("TOTAL_FORMS", "0"),
            ("INITIAL_FORMS", "0"),
            ("MIN_NUM_FORMS", "0"),
            ("MAX_NUM_FORMS", "1000"),
        )
    },
}


def test_the_clerk_receives_a_request_in_the_admin_through_the_service(client):
    clerk = user_with_role(roles.CLERK)
    client.force_login(clerk)
    response = client.post(reverse("admin:disclosure_disclosurerequest_add"), FORM)
    assert response.status_code == 302, response.content.decode()[:2000]
    request = DisclosureRequest.objects.get()
    assert (request.kind, request.number, request.fiscal_year) == ("suspension", 1, 2026)
    assert request.history.get().history_user == clerk
    change = client.get(reverse("admin:disclosure_disclosurerequest_change", args=[request.pk]))
    assert reverse("disclosure:detail", args=[request.pk]) in change.content.decode()


def test_an_objection_referred_to_the_council_shows_its_consultation_and_answer(client):
    clerk = user_with_role(roles.CLERK)
    decision = DecisionFactory(outcome="refused", categories=["7"], reasons="事務に支障")
    objection = services.objection_file(
        actor=clerk, decision=decision, filed_on=dt.date(2026, 7, 1), grounds="開示を求める"
    )
    objection = services.objection_refer(
        actor=clerk, objection=objection, consulted_on=dt.date(2026, 7, 10)
    )
    AnswerFactory(consultation=objection.consultation, conclusion="rejected")
    services.objection_decide(
        actor=clerk, objection=objection, result="rejected", result_on=dt.date(2026, 10, 1)
    )
    client.force_login(clerk)
    page = client.get(reverse("disclosure:detail", args=[decision.request.pk])).content.decode()
    assert f"諮問第{objection.consultation.number}号" in page
    assert "不承認" in page and "裁決: 棄却" in page


def test_the_ask_page_suggests_the_sections_whose_business_the_request_names(client):
    from tests.factories import BusinessFactory, DisclosureRequestFactory, PersonalInfoFileFactory

    business = BusinessFactory(name="特別区民税・都民税に関する業務")
    BusinessFactory(name="保育園の入園に関する業務")
    request = DisclosureRequestFactory(requested_information="令和7年度の特別区民税の課税記録")
    file = PersonalInfoFileFactory(state="approved", name="住民税課税台帳ファイル")
    client.force_login(user_with_role(roles.CLERK))
    page = client.get(reverse("disclosure:step", args=[request.pk, "ask"])).content.decode()
    assert f"{business.section}: 業務 {business.number} 特別区民税・都民税に関する業務" in page
    assert f"{file.business.section}: 個人情報ファイル 住民税課税台帳ファイル" in page
    assert "保育園" not in page
