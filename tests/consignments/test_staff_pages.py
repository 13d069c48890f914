"""Section staff fill Form 2 in the browser: Japanese messages next to the field, a
warning (not a refusal) for characters outside JIS X 0208, a preview, and drafts."""

import pytest
from django.urls import reverse

from consignments.models import Consignment
from registry import roles
from reviews.workflow.states import State
from tests.factories import BusinessFactory, SectionFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def section():
    return SectionFactory(name="収納課", manager_title="収納課長")


@pytest.fixture
def business(section):
    return BusinessFactory(section=section, number="0404-01", name="特別区民税・都民税に関する業務")


@pytest.fixture
def staff_client(client, section):
    client.force_login(user_with_role(roles.SECTION_STAFF, section, last_name="収納"))
    return client


def form_data(business, **overrides) -> dict:
    return {
        "business": business.pk,
        "contractor_type": "収納代行事業者",
        "content": "・納付結果情報を区に送信する。",
        "period_kind": "ongoing",
        "period_start": "令和8年4月1日",
        "record_kinds": ["family", "economic"],
        "conditions": ["confidentiality"],
        "transfer_forms": ["computer"],
        "manager": "収納課長",
        "effective_from": "R8.4.1",
    } | overrides


def test_it_saves_a_draft_with_era_dates_and_records_who_created_it(staff_client, business):
    response = staff_client.post(reverse("consignments:new"), form_data(business))
    record = Consignment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("consignments:detail", args=[record.pk])
    assert record.state == State.DRAFT
    assert record.period_start.isoformat() == "2026-04-01"
    assert set(record.record_kinds.values_list("code", flat=True)) == {"family", "economic"}
    assert record.transitions.get().action == "create"
    page = staff_client.get(response["Location"]).content.decode()
    assert "令和8年4月1日以降継続" in page
    assert "■ 戸籍等事項" in page
    assert "□ 思想信条" in page


def test_it_prefills_the_sections_manager_title(staff_client, business):
    form = staff_client.get(reverse("consignments:new")).context["form"]
    assert form["manager"].value() == "収納課長"


def test_it_refuses_invalid_input_whole_with_japanese_messages(staff_client, business):
    response = staff_client.post(
        reverse("consignments:new"),
        form_data(
            business, content="", period_kind="fixed", period_end="", period_start="令和99年x"
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["content"] == ["このフィールドは必須です。"]
    assert "period_start" in errors
    page = response.content.decode()
    assert "入力内容に誤りがあります" in page
    assert not Consignment.objects.exists()


def test_it_warns_about_characters_outside_jis_but_saves(staff_client, business):
    data = form_data(business, contractor_type="髙島屋収納代行", record_kinds_other="①番号")
    response = staff_client.post(reverse("consignments:new"), data | {"preview": "1"})
    page = response.content.decode()
    assert "JIS X 0208 にない文字（髙）" in page
    assert "JIS X 0208 にない文字（①）" in page
    assert "印刷イメージ（まだ保存されていません）" in page
    assert not Consignment.objects.exists()
    response = staff_client.post(reverse("consignments:new"), data)
    assert response.status_code == 302
    record = Consignment.objects.get()
    assert record.contractor_type == "髙島屋収納代行"
    edit = staff_client.get(reverse("consignments:edit", args=[record.pk])).content.decode()
    assert "JIS X 0208 にない文字（髙）" in edit


def test_the_preview_shows_the_printed_form_without_saving(staff_client, business):
    response = staff_client.post(
        reverse("consignments:new"),
        form_data(business, conditions_other="守秘義務の誓約") | {"preview": "1"},
    )
    page = response.content.decode()
    assert "０４０４―０１" in page
    assert "■ その他（守秘義務の誓約）" in page
    assert "□ 文書" in page
    assert not Consignment.objects.exists()


def test_user_text_is_escaped(staff_client, business):
    staff_client.post(
        reverse("consignments:new"), form_data(business, content="<script>alert(1)</script>")
    )
    record = Consignment.objects.get()
    page = staff_client.get(reverse("consignments:detail", args=[record.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_it_refuses_a_year_far_past_its_era_with_a_japanese_message(staff_client, business):
    response = staff_client.post(
        reverse("consignments:new"), form_data(business, effective_from="平成100年4月1日")
    )
    assert response.status_code == 200
    assert "平成100年という年はありません" in " ".join(
        response.context["form"].errors["effective_from"]
    )
    assert not Consignment.objects.exists()
