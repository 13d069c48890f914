import datetime as dt

import pytest
from django.urls import reverse

from consignments.models import Consignment
from publication.summary import annual_summary
from registry import roles
from reviews.models import PreApprovalCategory
from reviews.workflow.states import State
from tests.factories import ConsignmentFactory, user_with_role

pytestmark = pytest.mark.usefixtures("seed")


def rows(rows_) -> dict[str, list[int]]:
    return {row.label: row.cells() for row in rows_}


def test_fiscal_2019_counts_the_new_channels_of_the_seed():
    summary = annual_summary(2019)  # 令和元年度: April 2019 to March 2020
    assert summary.title.startswith("令和元年度")
    # Credit card and e-money from 2019-04-01 (3-17), Pay-easy from 2020-01-01 (3-16),
    # each for two businesses; and the two Form 5 linkages of 2020-01 (諮問第5号).
    assert rows(summary.by_category) == {
        "事前一括承認基準(３‐１６)": [4, 0, 0],
        "事前一括承認基準(３‐１７)": [4, 0, 0],
    }
    assert rows(summary.by_consultation) == {"平成31年1月29日 諮問第5号": [2, 0, 0]}
    assert summary.totals == {"new": 10}


def test_amendments_and_retirements_are_counted_in_their_year():
    category = PreApprovalCategory.objects.get(number=17)
    old = Consignment.objects.get(business__number="0404-01", contractor_type="電子マネー事業者")
    old.state = State.AMENDED
    old.effective_until = dt.date(2025, 9, 30)
    old.save()
    amendment = ConsignmentFactory(
        business=old.business,
        state=State.APPROVED,
        amends=old,
        effective_from=dt.date(2025, 10, 1),
    )
    amendment.categories.add(category)
    retired = Consignment.objects.get(
        business__number="0404-02", contractor_type="電子マネー事業者"
    )
    retired.state = State.RETIRED
    retired.effective_until = dt.date(2026, 3, 31)
    retired.save()
    ConsignmentFactory(state=State.DRAFT, effective_from=dt.date(2025, 5, 1)).categories.add(
        category
    )

    summary = annual_summary(2025)
    assert rows(summary.by_category) == {"事前一括承認基準(３‐１７)": [0, 1, 1]}
    assert summary.totals == {"amended": 1, "retired": 1}


def test_the_summary_page_is_for_reviewers_and_clerks(client):
    client.force_login(user_with_role(roles.CLERK))
    page = client.get(reverse("publication:summary"), {"year": "2019"}).content.decode()
    assert "令和元年度 外部委託・電算結合の状況" in page
    assert "<svg" in page and "新規 4件" in page


def test_section_staff_cannot_see_the_summary(client):
    client.force_login(user_with_role(roles.SECTION_STAFF))
    assert client.get(reverse("publication:summary")).status_code == 403


def test_the_summary_asks_anonymous_users_to_log_in(client):
    response = client.get(reverse("publication:summary"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
