"""The public register: no login, approved records in force only, nothing internal."""

import datetime as dt

import pytest
from django.urls import reverse

from consignments.models import Consignment
from registry.models import Section
from reviews.models import Answer, Transition
from reviews.workflow.states import State
from tests.factories import AnswerFactory, ConsignmentFactory, UserFactory
from tests.pdf_text import page_texts, squeeze

pytestmark = pytest.mark.usefixtures("seed")


def test_anyone_can_read_the_register_without_logging_in(client):
    page = client.get(reverse("publication:register")).content.decode()
    assert "個人情報保護 公開登録簿" in page
    assert "0404-01 特別区民税・都民税に関する業務" in page
    assert page.count('">マルチペイメントネットワーク収納機関共同利用センター運営事業者</td>') == 2
    assert "平成21年1月1日以降継続" in page


def test_drafts_and_submissions_stay_out_of_the_register(client):
    section = Consignment.objects.first().business.section
    for state, contractor in [
        (State.DRAFT, "下書きの委託先業種"),
        (State.SUBMITTED, "審査中の委託先業種"),
        (State.RETURNED, "差戻しの委託先業種"),
    ]:
        ConsignmentFactory(business__section=section, state=state, contractor_type=contractor)
    page = client.get(reverse("publication:register")).content.decode()
    assert "下書きの委託先業種" not in page
    assert "審査中の委託先業種" not in page
    assert "差戻しの委託先業種" not in page


def test_the_submitted_shinjuku_linkages_are_not_published(client):
    page = client.get(reverse("publication:register")).content.decode()
    assert "地方税共同機構" not in page


def test_retired_records_leave_the_register(client):
    record = Consignment.objects.get(business__number="0404-02", contractor_type="電子マネー事業者")
    record.state = State.RETIRED
    record.effective_until = dt.date(2024, 3, 31)
    record.save()
    page = client.get(reverse("publication:register")).content.decode()
    assert page.count('<td data-label="委託先業種">電子マネー事業者</td>') == 1


def test_reviewer_comments_never_reach_the_register(client):
    record = ConsignmentFactory(state=State.APPROVED, contractor_type="コード決済事業者")
    Transition.objects.create(
        record=record,
        action="return",
        from_state=State.SUBMITTED,
        to_state=State.RETURNED,
        actor=UserFactory(),
        comment="内部のコメント：要確認",
    )
    page = client.get(reverse("publication:register")).content.decode()
    assert "コード決済事業者" in page
    assert "内部のコメント" not in page


def test_a_published_record_prints_for_anyone(client):
    record = Consignment.objects.get(
        business__number="0404-02", contractor_type="クレジットカード事業者"
    )
    response = client.get(reverse("publication:form2_pdf", args=[record.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "■その他(クレジットカード番号)" in squeeze(page_texts(response.content)[0])


def test_an_unpublished_record_does_not_print_publicly(client):
    draft = ConsignmentFactory(state=State.DRAFT)
    assert client.get(reverse("publication:form2_pdf", args=[draft.pk])).status_code == 404


def test_the_wards_own_answer_prints_for_anyone(client):
    answer = AnswerFactory(
        consultation__section=Section.objects.get(name="収納課"),
        number_prefix="練個審答申",
        number=12,
    )
    assert "練個審答申第12号" in client.get(reverse("publication:register")).content.decode()
    response = client.get(reverse("publication:answer_pdf", args=[answer.pk]))
    assert "練個審答申第１２号" in squeeze(page_texts(response.content)[0])


def test_another_citys_sample_answer_stays_off_the_register(client):
    """The seed's 和泉市 answer (no section of the ward) shows the printed layout only."""
    izumi = Answer.objects.get(number_prefix="和泉個審答申", number=9)
    assert "和泉" not in client.get(reverse("publication:register")).content.decode()
    assert client.get(reverse("publication:answer_pdf", args=[izumi.pk])).status_code == 404
    assert izumi not in Answer.objects.published()


def test_register_text_is_escaped(client):
    ConsignmentFactory(state=State.APPROVED, contractor_type="<script>alert(1)</script>")
    page = client.get(reverse("publication:register")).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
