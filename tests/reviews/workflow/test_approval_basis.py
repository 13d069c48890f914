"""The basis of an approval and what the record cites agree: approving under a basis the
record does not cite yet makes it cite it; a record that cites another one of the same
kind is refused with both named. The approval page, the PDF, the public register and the
annual summary then tell the same story."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from consignments.pdf import FORM2
from linkages.pdf import FORM5
from publication.summary import annual_summary
from reviews.workflow import services
from reviews.workflow.history import history_entries
from reviews.workflow.states import State
from tests.factories import (
    AnswerFactory,
    BusinessFactory,
    ConsignmentFactory,
    ConsultationFactory,
    LinkageFactory,
    PreApprovalCategoryFactory,
    SectionFactory,
)
from tests.pdf_text import page_texts, squeeze

pytestmark = pytest.mark.django_db


@pytest.fixture
def categories():
    return PreApprovalCategoryFactory(number=16), PreApprovalCategoryFactory(number=17)


def submitted(**kwargs):
    return ConsignmentFactory(
        state=State.SUBMITTED,
        business=BusinessFactory(section=SectionFactory()),
        effective_from=dt.date(2020, 1, 1),
        **kwargs,
    )


def test_it_refuses_a_category_other_than_the_one_the_record_cites(reviewer, categories):
    c16, c17 = categories
    record = submitted()
    record.categories.set([c17])
    with pytest.raises(ValidationError) as refused:
        services.record_approve(actor=reviewer, record=record, category=c16)
    message = " ".join(refused.value.messages)
    assert "事前一括承認基準(３‐１７)" in message
    assert "事前一括承認基準(３‐１６)" in message
    record.refresh_from_db()
    assert record.state == State.SUBMITTED
    assert record.approval_category is None
    assert list(record.categories.all()) == [c17]
    assert not record.transitions.filter(action="approve").exists()


def test_it_approves_under_the_category_the_record_cites(reviewer, categories):
    c16, c17 = categories
    record = submitted()
    record.categories.set([c16, c17])
    services.record_approve(actor=reviewer, record=record, category=c17)
    record.refresh_from_db()
    assert (record.state, record.approval_category) == (State.APPROVED, c17)
    assert set(record.categories.all()) == {c16, c17}


def test_a_record_citing_no_category_comes_to_cite_its_basis(reviewer, categories):
    c16, _ = categories
    record = submitted()
    history_rows = record.history.count()
    services.record_approve(actor=reviewer, record=record, category=c16)
    record.refresh_from_db()
    assert list(record.categories.all()) == [c16]
    assert record.approved_content["categories"] == ["事前一括承認基準(３‐１６)"]
    # The citation and the approval are one recorded change.
    assert record.history.count() == history_rows + 1
    newest = history_entries(record)[0]
    assert ("審議会事項（事前一括承認基準）", "（空欄）", "事前一括承認基準(３‐１６)") in [
        (c.label, c.old, c.new) for c in newest.changes
    ]


def test_it_refuses_an_answer_to_a_consultation_the_record_does_not_cite(reviewer):
    cited = ConsultationFactory(number=23, consulted_on=dt.date(2009, 10, 22))
    other = AnswerFactory(consultation=ConsultationFactory(number=20))
    record = submitted()
    record.consultations.set([cited])
    with pytest.raises(ValidationError) as refused:
        services.record_approve(actor=reviewer, record=record, answer=other)
    message = " ".join(refused.value.messages)
    assert "平成21年10月22日 諮問第23号" in message
    assert "諮問第20号" in message
    record.refresh_from_db()
    assert record.state == State.SUBMITTED


def test_a_record_citing_no_consultation_comes_to_cite_the_answered_one(reviewer):
    answer = AnswerFactory()
    record = submitted()
    services.record_approve(actor=reviewer, record=record, answer=answer)
    record.refresh_from_db()
    assert list(record.consultations.all()) == [answer.consultation]
    assert record.approval_consultation == answer.consultation


def test_form5_refuses_an_answer_for_another_consultation(reviewer):
    cited = ConsultationFactory(number=5, consulted_on=dt.date(2019, 1, 29))
    other = AnswerFactory(consultation=ConsultationFactory(number=7))
    linkage = LinkageFactory(state=State.SUBMITTED, linked_consultation=cited)
    with pytest.raises(ValidationError) as refused:
        services.record_approve(actor=reviewer, record=linkage, answer=other)
    message = " ".join(refused.value.messages)
    assert "諮問第5号" in message and "諮問第7号" in message
    linkage.refresh_from_db()
    assert linkage.state == State.SUBMITTED


def test_form5_refuses_a_category_when_it_cites_a_consultation(reviewer, categories):
    linkage = LinkageFactory(state=State.SUBMITTED, linked_consultation=ConsultationFactory())
    with pytest.raises(ValidationError, match="事前一括承認基準"):
        services.record_approve(actor=reviewer, record=linkage, category=categories[0])


def test_form5_citing_nothing_comes_to_cite_the_answered_consultation(reviewer):
    answer = AnswerFactory(consultation=ConsultationFactory(number=5))
    linkage = LinkageFactory(state=State.SUBMITTED)
    services.record_approve(actor=reviewer, record=linkage, answer=answer)
    linkage.refresh_from_db()
    assert linkage.linked_consultation == answer.consultation
    text = squeeze(page_texts(FORM5.render([linkage]).content)[0])
    assert "諮問第５号" in text


def test_an_amended_form5_cites_its_change_consultation(reviewer):
    first = AnswerFactory(consultation=ConsultationFactory(number=5))
    change = AnswerFactory(consultation=ConsultationFactory(number=9))
    linkage = LinkageFactory(
        state=State.SUBMITTED,
        linked_consultation=first.consultation,
        changed_on=dt.date(2025, 10, 1),
    )
    services.record_approve(actor=reviewer, record=linkage, answer=change)
    linkage.refresh_from_db()
    assert linkage.change_consultation == change.consultation


def test_the_approval_page_preselects_the_cited_category(client, reviewer, categories):
    _, c17 = categories
    record = submitted()
    record.categories.set([c17])
    client.force_login(reviewer)
    page = client.get(reverse("admin:consignments_consignment_approve", args=[record.pk]))
    assert page.status_code == 200
    form = page.context["form"]
    assert form["category"].value() == c17.pk
    assert form["basis"].value() == "category"
    assert "この記録票の審議会事項" in page.content.decode()
    assert "事前一括承認基準(３‐１７)" in page.content.decode()


def test_the_approval_page_shows_a_mismatch_naming_both(client, reviewer, categories):
    c16, c17 = categories
    record = submitted()
    record.categories.set([c17])
    client.force_login(reviewer)
    url = reverse("admin:consignments_consignment_approve", args=[record.pk])
    page = client.post(url, {"basis": "category", "category": c16.pk})
    assert page.status_code == 200
    errors = " ".join(page.context["form"].non_field_errors())
    assert "事前一括承認基準(３‐１７)" in errors and "事前一括承認基準(３‐１６)" in errors
    record.refresh_from_db()
    assert record.state == State.SUBMITTED


def test_the_pdf_register_and_summary_agree_with_the_approval(client, reviewer, categories):
    c16, _ = categories
    record = submitted(contractor_type="コード決済事業者")
    services.record_approve(actor=reviewer, record=record, category=c16)
    record.refresh_from_db()
    assert record.approval_basis == "事前一括承認基準(３‐１６)"

    text = squeeze(page_texts(FORM2.render([record]).content)[0])
    assert "■事前一括承認基準(３‐１６)" in text

    page = client.get(reverse("publication:register")).content.decode()
    row = page[page.index("コード決済事業者") :]
    row = row[: row.index("</tr>")]
    assert "事前一括承認基準(３‐１６)" in row

    summary = annual_summary(2019)
    assert [row.label for row in summary.by_category] == ["事前一括承認基準(３‐１６)"]


def test_every_seed_record_cites_the_basis_it_was_approved_on(seed):
    from consignments.models import Consignment
    from linkages.models import Linkage

    records = [*Consignment.objects.all(), *Linkage.objects.all()]
    assert any(r.approval_category_id for r in records)
    for record in records:
        assert record.basis_problems() == [], record


def test_the_form5_approval_page_preselects_the_answer_to_the_cited_consultation(client, reviewer):
    answer = AnswerFactory(consultation=ConsultationFactory(number=5))
    AnswerFactory()  # to another consultation
    linkage = LinkageFactory(state=State.SUBMITTED, linked_consultation=answer.consultation)
    client.force_login(reviewer)
    page = client.get(reverse("admin:linkages_linkage_approve", args=[linkage.pk]))
    form = page.context["form"]
    assert (form["basis"].value(), form["answer"].value()) == ("answer", answer.pk)
    assert str(answer.consultation) in page.content.decode()
