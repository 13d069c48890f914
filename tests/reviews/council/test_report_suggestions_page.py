"""The suggestion fragment the report form fetches while staff type."""

import pytest
from django.urls import reverse

from registry import roles
from registry.models import Section
from tests.factories import user_with_role

pytestmark = pytest.mark.usefixtures("seed")


@pytest.fixture
def staff_client(client):
    client.force_login(user_with_role(roles.SECTION_STAFF, Section.objects.get(name="収納課")))
    return client


def ranked(response) -> list[str]:
    return [suggestion.category.number for suggestion in response.context["assessment"].suggestions]


def test_it_puts_category_17_first_for_a_credit_card_payment_agent(staff_client):
    response = staff_client.get(
        reverse("council:report_suggest"),
        {"text": "クレジットカード決済による代理納付を収納代行事業者に委託する"},
    )
    assert response.status_code == 200
    assert ranked(response)[0] == 17
    page = response.content.decode()
    assert page.index("類型 ３‐１７") < page.index("類型 ３‐１６")
    assert "クレジットカード決済の代理納付業務" in page


def test_it_puts_category_16_first_for_paygy(staff_client):
    response = staff_client.get(
        reverse("council:report_suggest"), {"text": "ペイジーによる納付を導入する"}
    )
    assert ranked(response)[0] == 16
    assert "ペイジーによる収納業務" in response.content.decode()


def test_it_says_so_when_nothing_matches(staff_client):
    response = staff_client.get(reverse("council:report_suggest"), {"text": "図書館の蔵書点検"})
    assert ranked(response) == []
    page = response.content.decode()
    assert "該当する基準がありません（諮問が必要です）" in page
    assert "入力内容と共通する語を含む類型も事例もありません。" in page


def test_it_escapes_what_the_user_typed(staff_client):
    response = staff_client.get(reverse("council:report_suggest"), {"text": "<script>ペイジー"})
    assert "<script>" not in response.content.decode()


def test_it_needs_a_login(client):
    response = client.get(reverse("council:report_suggest"), {"text": "ペイジー"})
    assert response.status_code == 302


def test_an_allergy_list_for_nursery_meals_needs_a_consultation(staff_client):
    response = staff_client.get(
        reverse("council:report_suggest"),
        {
            "text": "保育園給食のアレルギー対応のため、園児のアレルギー食品一覧を給食調理業務の委託事業者に渡す"
        },
    )
    page = response.content.decode()
    assert "該当する基準がありません（諮問が必要です）" in page
    assert "最も近い類型 ３‐１７ でも一致度が 0.6 で、目安の 1.0 に届きません" in page
    assert "参考: 一致度の低い候補です。" in page


def test_a_fitting_item_gets_no_consultation_notice(staff_client):
    response = staff_client.get(
        reverse("council:report_suggest"), {"text": "電子マネーで税金を納付できるようにする"}
    )
    assert "諮問が必要です" not in response.content.decode()
