"""The staff pages of a request, for every role: anonymous, another section, the section
asked, the 事務局, a reviewer. A request is confidential: whoever may not see it gets a
404 (it does not exist for them), and every page of it is in the access log."""

import datetime as dt

import pytest
from django.urls import reverse

from accesslog.models import AccessEvent
from disclosure.models import DisclosureRequest
from registry import roles
from tests.factories import (
    AskedSectionFactory,
    DecisionFactory,
    DisclosureRequestFactory,
    SectionFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked():
    return AskedSectionFactory(request=DisclosureRequestFactory(requester_name="<b>練馬</b> 花子"))


@pytest.fixture
def people(asked):
    return {
        "other_section": user_with_role(roles.SECTION_STAFF, section=SectionFactory()),
        "asked_section": user_with_role(roles.SECTION_STAFF, section=asked.section),
        "clerk": user_with_role(roles.CLERK),
        "reviewer": user_with_role(roles.REVIEWER),
    }


EXPECTED = {"other_section": 404, "asked_section": 200, "clerk": 200, "reviewer": 404}


@pytest.mark.parametrize("who", EXPECTED)
def test_only_the_clerk_and_the_section_asked_see_a_request(client, asked, people, who):
    client.force_login(people[who])
    url = reverse("disclosure:detail", args=[asked.request.pk])
    response = client.get(url)
    assert response.status_code == EXPECTED[who]
    listing = client.get(reverse("disclosure:list")).content.decode()
    assert (asked.request.reference in listing) == (EXPECTED[who] == 200)
    if EXPECTED[who] == 200:
        page = response.content.decode()
        assert "&lt;b&gt;練馬&lt;/b&gt; 花子" in page and "<b>練馬" not in page
        event = AccessEvent.objects.get(record_type="disclosure.DisclosureRequest")
        assert event.user == people[who] and event.record_ids == [asked.request.pk]


def test_anonymous_users_are_sent_to_the_login(client, asked):
    for url in (
        reverse("disclosure:list"),
        reverse("disclosure:detail", args=[asked.request.pk]),
        reverse("disclosure:new"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", EXPECTED)
def test_the_decision_notice_prints_only_for_those_who_see_the_request(client, people, asked, who):
    decision = DecisionFactory(asked=asked)
    client.force_login(people[who])
    response = client.get(reverse("disclosure:decision_pdf", args=[decision.pk]))
    assert response.status_code == EXPECTED[who]
    if EXPECTED[who] == 200:
        assert response["Content-Type"] == "application/pdf"
        assert AccessEvent.objects.filter(action="print", record_ids=[decision.pk]).exists()


def test_the_reviewer_has_no_admin_page_of_requests(client, asked, people):
    client.force_login(people["reviewer"])
    url = reverse("admin:disclosure_disclosurerequest_change", args=[asked.request.pk])
    assert client.get(url).status_code in (302, 403, 404)


def test_the_clerk_receives_a_request_and_bad_input_saves_nothing(client, people):
    client.force_login(people["clerk"])
    before = DisclosureRequest.objects.count()
    bad = client.post(
        reverse("disclosure:new"), {"kind": "disclosure", "received_on": "令和8年13月1日"}
    )
    assert bad.status_code == 200 and "入力内容に誤りがあります" in bad.content.decode()
    assert DisclosureRequest.objects.count() == before
    response = client.post(
        reverse("disclosure:new"),
        {
            "kind": "correction",
            "received_on": "令和8年6月3日",
            "requester_name": "練馬 花子",
            "requester_address": "東京都練馬区豊玉北6-12-1",
            "identity_document": "driver",
            "requested_information": "住民記録",
            "purpose": "住所の誤りの訂正",
        },
    )
    request = DisclosureRequest.objects.latest("pk")
    assert response.status_code == 302 and request.kind == "correction"
    assert request.history.get().history_user == people["clerk"]


def test_section_staff_may_not_receive_or_take_clerk_steps(client, asked, people):
    client.force_login(people["asked_section"])
    assert client.get(reverse("disclosure:new")).status_code == 403
    url = reverse("disclosure:step", args=[asked.request.pk, "extend"])
    assert (
        client.post(url, {"days": 10, "reason": "x", "notified_on": "令和8年6月10日"}).status_code
        == 403
    )


def test_the_section_asked_records_its_decision_on_its_page(client, asked, people):
    client.force_login(people["asked_section"])
    url = reverse("disclosure:step", args=[asked.request.pk, "decide"])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "asked": asked.pk,
            "outcome": "partial",
            "decided_on": "令和8年6月20日",
            "disclosed": "課税台帳",
            "categories": ["2"],
            "reasons": "",
        },
    )
    assert (
        response.status_code == 200 and "この決定には理由が必要です。" in response.content.decode()
    )
    assert not asked.decisions.exists()
    response = client.post(
        url,
        {
            "asked": asked.pk,
            "outcome": "partial",
            "decided_on": "令和8年6月20日",
            "disclosed": "課税台帳",
            "categories": ["2"],
            "reasons": "同居人の情報",
        },
    )
    assert response.status_code == 302
    assert asked.decisions.get().outcome == "partial"


def test_every_step_page_renders_for_the_clerk(client, asked, people):
    from disclosure.views import STEPS

    DecisionFactory(asked=asked)
    client.force_login(people["clerk"])
    for step in STEPS:
        response = client.get(reverse("disclosure:step", args=[asked.request.pk, step]))
        assert response.status_code == 200, step
    assert (
        client.get(reverse("disclosure:step", args=[asked.request.pk, "nope"])).status_code == 404
    )


def test_the_list_marks_overdue_requests(client, people, asked):
    DisclosureRequest.objects.filter(pk=asked.request.pk).update(received_on=dt.date(2026, 1, 5))
    client.force_login(people["clerk"])
    page = client.get(reverse("disclosure:list")).content.decode()
    assert 'class="overdue"' in page and "期限超過" in page
