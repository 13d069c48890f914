"""訂正: a reviewer corrects an approved record's mistake through a recorded step (reason,
transition, one history snapshot, approved content taken again); nothing else changes an
approved record's content."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from consignments.pdf import FORM2
from registry import roles
from reviews.workflow import services
from reviews.workflow.history import history_entries
from reviews.workflow.states import Action, State
from tests.factories import (
    BusinessFactory,
    ConsignmentFactory,
    LinkageFactory,
    PreApprovalCategoryFactory,
    SectionFactory,
    user_with_role,
)
from tests.pdf_text import page_texts, squeeze

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(reviewer):
    """A record approved under 3‐16 that should have cited 3‐17 (the reported mistake)."""
    c16 = PreApprovalCategoryFactory(number=16)
    record = ConsignmentFactory(
        state=State.SUBMITTED,
        business=BusinessFactory(section=SectionFactory()),
        contractor_type="収納代行事行者",
    )
    services.record_approve(actor=reviewer, record=record, category=c16)
    record.refresh_from_db()
    return record


def test_it_corrects_the_cited_category_and_the_basis_with_a_trail(approved, reviewer):
    c17 = PreApprovalCategoryFactory(number=17)
    snapshots = approved.history.count()
    services.record_correct(
        actor=reviewer,
        record=approved,
        changes={"categories": [c17], "approval_category": c17},
        reason="類型の誤り（3‐16ではなく3‐17）",
    )
    approved.refresh_from_db()
    assert approved.state == State.APPROVED
    assert [c.number for c in approved.categories.all()] == [17]
    assert approved.approval_category == c17
    assert approved.approved_content["categories"] == ["事前一括承認基準(３‐１７)"]
    assert approved.history.count() == snapshots + 1
    step = approved.transitions.get(action=Action.CORRECT)
    assert "類型の誤り（3‐16ではなく3‐17）" in step.comment
    labels = {c.label for c in history_entries(approved)[0].changes}
    assert {"審議会事項（事前一括承認基準）", "承認の根拠（事前一括承認基準）"} <= labels
    text = squeeze(page_texts(FORM2.render([approved]).content)[0])
    assert "■事前一括承認基準(３‐１７)" in text and "(３‐１６)" not in text


def test_it_corrects_a_typo_and_keeps_the_trail(approved, reviewer):
    snapshots = approved.history.count()
    services.record_correct(
        actor=reviewer,
        record=approved,
        changes={"contractor_type": "収納代行事業者"},
        reason="委託先業種の誤字",
    )
    approved.refresh_from_db()
    assert approved.state == State.APPROVED
    assert approved.contractor_type == "収納代行事業者"
    assert approved.approved_content["contractor_type"] == "収納代行事業者"
    assert approved.history.count() == snapshots + 1
    step = approved.transitions.get(action=Action.CORRECT)
    assert (step.from_state, step.to_state, step.actor) == (
        State.APPROVED,
        State.APPROVED,
        reviewer,
    )
    assert "委託先業種" in step.comment and "委託先業種の誤字" in step.comment
    change = history_entries(approved)[0].changes
    assert [(c.label, c.old, c.new) for c in change] == [
        ("委託先業種", "収納代行事行者", "収納代行事業者")
    ]
    text = squeeze(page_texts(FORM2.render([approved]).content)[0])
    assert "収納代行事業者" in text and "収納代行事行者" not in text


def test_it_requires_a_reason(approved, reviewer):
    with pytest.raises(ValidationError, match="訂正の理由"):
        services.record_correct(
            actor=reviewer, record=approved, changes={"manager": "課長"}, reason=" "
        )


def test_section_staff_may_not_correct(approved):
    staff = user_with_role(roles.SECTION_STAFF, approved.business.section)
    with pytest.raises(PermissionDenied):
        services.record_correct(
            actor=staff, record=approved, changes={"manager": "課長"}, reason="誤り"
        )


def test_only_an_approved_record_is_corrected(reviewer):
    draft = ConsignmentFactory(state=State.DRAFT)
    with pytest.raises(services.WorkflowError):
        services.record_correct(
            actor=reviewer, record=draft, changes={"manager": "課長"}, reason="誤り"
        )


def test_it_refuses_fields_a_correction_may_not_change(approved, reviewer):
    with pytest.raises(ValidationError, match="effective_from"):
        services.record_correct(
            actor=reviewer,
            record=approved,
            changes={"effective_from": approved.effective_from.replace(year=2030)},
            reason="誤り",
        )


def test_it_refuses_a_correction_that_leaves_the_basis_uncited(approved, reviewer):
    c17 = PreApprovalCategoryFactory(number=17)
    with pytest.raises(ValidationError, match="事前一括承認基準"):
        services.record_correct(
            actor=reviewer, record=approved, changes={"categories": [c17]}, reason="類型の誤り"
        )
    approved.refresh_from_db()
    assert [c.number for c in approved.categories.all()] == [16]


def test_it_corrects_a_form5_record(reviewer):
    linkage = LinkageFactory(state=State.APPROVED, purpose="誤字あり")
    services.record_correct(
        actor=reviewer,
        record=linkage,
        changes={"purpose": "・納付書情報を送信する。"},
        reason="誤字",
    )
    linkage.refresh_from_db()
    assert linkage.approved_content["purpose"] == "・納付書情報を送信する。"


def test_the_admin_offers_correction_on_approved_records(client, approved, reviewer):
    client.force_login(reviewer)
    change = client.get(reverse("admin:consignments_consignment_change", args=[approved.pk]))
    url = reverse("admin:consignments_consignment_correct", args=[approved.pk])
    assert url in change.content.decode()
    page = client.get(url)
    assert page.status_code == 200
    assert "訂正の理由" in page.content.decode()
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    response = client.post(url, data | {"contractor_type": "収納代行事業者", "reason": "誤字"})
    assert response.status_code == 302, response.context["form"].errors
    approved.refresh_from_db()
    assert approved.contractor_type == "収納代行事業者"
    assert approved.transitions.filter(action=Action.CORRECT, comment__contains="誤字").exists()


def test_the_admin_correction_page_refuses_a_draft(client, reviewer):
    draft = ConsignmentFactory(state=State.DRAFT)
    client.force_login(reviewer)
    url = reverse("admin:consignments_consignment_correct", args=[draft.pk])
    assert client.get(url).status_code == 403


def test_a_clerk_may_not_open_the_correction_page(client, approved):
    client.force_login(user_with_role(roles.CLERK))
    url = reverse("admin:consignments_consignment_correct", args=[approved.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "誤り", "manager": "課長"}).status_code == 403
    approved.refresh_from_db()
    assert approved.manager == "収納課長"


def test_the_admin_corrects_a_form5_record(client, reviewer):
    linkage = LinkageFactory(state=State.APPROVED, partner_role="誤った役割")
    client.force_login(reviewer)
    url = reverse("admin:linkages_linkage_correct", args=[linkage.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    response = client.post(url, data | {"partner_role": "正しい役割", "reason": "役割の誤り"})
    assert response.status_code == 302, response.context["form"].errors
    linkage.refresh_from_db()
    assert linkage.approved_content["partner_role"] == "正しい役割"
