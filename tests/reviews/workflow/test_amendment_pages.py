"""Changing an approved record: staff start an amendment (a new draft version), the
approved version stays in force and unchanged, and reviewers compare the two side by side."""

import datetime as dt

import pytest
from django.urls import reverse

from consignments.models import Consignment
from registry import roles
from reviews.workflow import services
from reviews.workflow.states import State
from tests.factories import (
    BusinessFactory,
    ConsignmentFactory,
    PreApprovalCategoryFactory,
    SectionFactory,
    user_with_role,
)
from tests.reviews.workflow.test_edit_conflict import edit_data

pytestmark = pytest.mark.django_db


def test_it_amends_through_the_staff_pages_and_shows_the_comparison(client):
    section = SectionFactory()
    staff = user_with_role(roles.SECTION_STAFF, section)
    reviewer = user_with_role(roles.REVIEWER)
    approved = ConsignmentFactory(
        business=BusinessFactory(section=section), effective_from=dt.date(2019, 4, 1)
    )
    client.force_login(staff)
    response = client.post(reverse("consignments:amend", args=[approved.pk]))
    amendment = Consignment.objects.get(amends=approved)
    assert response["Location"] == reverse("consignments:edit", args=[amendment.pk])

    url = reverse("consignments:edit", args=[amendment.pk])
    data = edit_data(client.get(url))
    # Same effective date as the approved version: refused next to the field.
    response = client.post(url, data | {"contractor_type": "決済代行事業者"})
    assert response.status_code == 200
    assert "変更前の記録票の効力発生日（平成31年4月1日）より後にしてください" in (
        response.content.decode()
    )
    response = client.post(
        url, data | {"contractor_type": "決済代行事業者", "effective_from": "令和8年4月1日"}
    )
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.contractor_type == "収納代行事業者"
    assert approved.state == State.APPROVED

    page = client.get(reverse("consignments:detail", args=[amendment.pk]))
    rows = {row.label: row for row in page.context["comparison"]}
    assert rows["委託先業種"].changed
    assert (rows["委託先業種"].old, rows["委託先業種"].new) == ("収納代行事業者", "決済代行事業者")
    assert not rows["個人情報保護管理責任者"].changed
    # The approved record offers no second amendment while one is open.
    detail = client.get(reverse("consignments:detail", args=[approved.pk]))
    assert detail.context["open_amendment"] == amendment
    assert not detail.context["may_amend"]

    services.record_submit(actor=staff, record=amendment)
    client.force_login(reviewer)
    change = client.get(
        reverse("admin:consignments_consignment_change", args=[amendment.pk])
    ).content.decode()
    assert "承認済みの版との比較" in change
    assert "決済代行事業者" in change
    services.record_approve(actor=reviewer, record=amendment, category=PreApprovalCategoryFactory())
    approved.refresh_from_db()
    assert approved.state == State.AMENDED
    assert approved.effective_until == dt.date(2026, 3, 31)
