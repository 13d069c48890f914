"""Section staff fill Form 5 in the browser: items one per line, month dates in the era,
JIS X 0208 warnings, and the record page laid out like the paper form."""

import pytest
from django.urls import reverse

from linkages.models import Linkage
from registry import roles
from reviews.workflow.states import State
from tests.factories import BusinessFactory, OrganizationFactory, SectionFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def section():
    return SectionFactory(name="収納課", manager_title="収納課長")


@pytest.fixture
def staff_client(client, section):
    client.force_login(user_with_role(roles.SECTION_STAFF, section))
    return client


def form_data(business, partner, **overrides) -> dict:
    return {
        "business": business.pk,
        "purpose": "・ペイジーによる納付に必要な納付書情報を送信する。",
        "linked_on": "令和2年1月",
        "partner": partner.pk,
        "partner_role": "ＭＰＮ収納機関共同利用センター運営事業者",
        "line": "lgwan",
        "provided_items_text": "税目\n納付書番号\n\n確認番号",
        "received_items_text": "収納日時",
        "manager": "収納課長",
        "effective_from": "令和2年1月1日",
    } | overrides


def test_it_saves_a_form5_draft_with_ordered_items(staff_client, section):
    business, partner = BusinessFactory(section=section), OrganizationFactory()
    response = staff_client.post(reverse("linkages:new"), form_data(business, partner))
    assert response.status_code == 302
    linkage = Linkage.objects.get()
    assert linkage.state == State.DRAFT
    assert linkage.linked_on.isoformat() == "2020-01-01"
    assert [i.name for i in linkage.provided_items] == ["税目", "納付書番号", "確認番号"]
    assert [i.position for i in linkage.provided_items] == [1, 2, 3]
    assert [i.name for i in linkage.received_items] == ["収納日時"]
    page = staff_client.get(response["Location"]).content.decode()
    assert "令和2年1月" in page
    assert "〔提供する管理個人情報〕" in page
    assert "税目、納付書番号、確認番号" in page


def test_it_refuses_a_change_month_before_the_link_month(staff_client, section):
    business, partner = BusinessFactory(section=section), OrganizationFactory()
    response = staff_client.post(
        reverse("linkages:new"), form_data(business, partner, changed_on="令和元年12月")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["changed_on"] == [
        "結合変更年月日は結合年月日より後にしてください。"
    ]
    assert not Linkage.objects.exists()


def test_it_warns_about_characters_outside_jis_in_items(staff_client, section):
    business, partner = BusinessFactory(section=section), OrganizationFactory()
    data = form_data(business, partner, received_items_text="収納日時\n𠮷田様式番号")
    response = staff_client.post(reverse("linkages:new"), data | {"preview": "1"})
    assert "JIS X 0208 にない文字（𠮷）" in response.content.decode()
    assert staff_client.post(reverse("linkages:new"), data).status_code == 302
