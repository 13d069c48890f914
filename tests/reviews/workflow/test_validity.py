"""Each version says plainly from when to when it is in force, computed from its dates:
a superseded version stays in force (and reads so) until the day before its successor
takes effect; an approved amendment no longer reads 「承認されるまで」."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

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

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 30)


def record(**kwargs):
    return ConsignmentFactory.build(effective_from=dt.date(2020, 1, 1), **kwargs)


def test_an_approved_record_without_end_is_in_force_now():
    assert record(state=State.APPROVED).validity(TODAY) == "現在効力があります"
    assert record(state=State.APPROVED).status_label(TODAY) == "承認済み"


def test_an_approved_record_not_yet_in_force_says_from_when():
    future = ConsignmentFactory.build(state=State.APPROVED, effective_from=dt.date(2026, 4, 1))
    assert future.validity(dt.date(2026, 1, 1)) == "令和8年4月1日から効力を持ちます（承認済み）"


def test_a_superseded_version_still_in_force_says_until_when():
    old = record(state=State.AMENDED, effective_until=dt.date(2026, 3, 31))
    today = dt.date(2026, 1, 1)
    assert old.validity(today) == "令和2年1月1日から令和8年3月31日まで効力があります"
    assert "変更済み（旧版）" not in old.status_label(today)
    assert old.status_label(today).startswith("承認済み")


def test_a_superseded_version_past_its_end_reads_amended():
    old = record(state=State.AMENDED, effective_until=dt.date(2026, 3, 31))
    assert old.status_label(TODAY) == "変更済み（旧版）"
    assert old.validity(TODAY) == "令和2年1月1日から令和8年3月31日まで効力がありました"


def test_a_retired_record_says_until_when():
    retired = record(state=State.RETIRED, effective_until=dt.date(2024, 3, 31))
    assert retired.validity(TODAY) == "廃止（令和6年3月31日まで）"
    assert retired.status_label(TODAY) == "廃止"


def test_a_draft_is_not_in_force_until_approved():
    assert record(state=State.DRAFT).validity(TODAY) == "承認されるまで効力を持ちません"


@pytest.fixture
def amended_in_the_future():
    """An approved record and its amendment, approved today, taking effect next year."""
    section = SectionFactory()
    staff = user_with_role(roles.SECTION_STAFF, section)
    reviewer = user_with_role(roles.REVIEWER)
    old = ConsignmentFactory(
        business=BusinessFactory(section=section),
        effective_from=dt.date(2020, 1, 1),
        contractor_type="旧版の委託先業種",
    )
    amendment = services.record_amend(actor=staff, record=old)
    starts = timezone.localdate() + dt.timedelta(days=200)
    Consignment.objects.filter(pk=amendment.pk).update(
        effective_from=starts, contractor_type="新版の委託先業種"
    )
    services.record_submit(actor=staff, record=amendment)
    services.record_approve(
        actor=reviewer, record=amendment, category=PreApprovalCategoryFactory(number=17)
    )
    old.refresh_from_db()
    amendment.refresh_from_db()
    return old, amendment, staff, reviewer


def test_pages_say_from_when_to_when_after_an_amendment_is_approved(client, amended_in_the_future):
    old, amendment, staff, reviewer = amended_in_the_future
    assert old.state == State.AMENDED
    end = old.effective_until
    assert end == amendment.effective_from - dt.timedelta(days=1)
    client.force_login(staff)

    old_page = client.get(reverse("consignments:detail", args=[old.pk])).content.decode()
    heading = old_page[old_page.index("<h1>") : old_page.index("</h1>")]
    side = old_page[old_page.index('<aside class="side"') : old_page.index("審査の経過")]
    assert "変更済み（旧版）" not in heading + side
    assert "承認済み" in heading
    assert old.validity() in side
    assert amendment.validity() in side
    assert "まで効力があります" in old.validity()

    new_page = client.get(reverse("consignments:detail", args=[amendment.pk])).content.decode()
    assert "承認されるまで" not in new_page
    assert "から効力を持ちます（承認済み）" in new_page

    client.force_login(reviewer)
    admin_new = client.get(
        reverse("admin:consignments_consignment_change", args=[amendment.pk])
    ).content.decode()
    assert "承認されるまで効力を持ちます" not in admin_new
    assert amendment.validity() in admin_new and old.validity() in admin_new
    admin_old = client.get(
        reverse("admin:consignments_consignment_change", args=[old.pk])
    ).content.decode()
    workflow = admin_old[admin_old.index('id="workflow"') : admin_old.index("審査の経過")]
    assert "変更済み（旧版）" not in workflow and old.validity() in workflow
    changelist = client.get(reverse("admin:consignments_consignment_changelist")).content.decode()
    assert old.validity() in changelist and amendment.validity() in changelist
    assert "変更済み（旧版）</td>" not in changelist


def test_the_register_shows_the_old_version_in_force_with_its_end(client, amended_in_the_future):
    old, *_ = amended_in_the_future
    page = client.get(reverse("publication:register")).content.decode()
    assert "旧版の委託先業種" in page and "新版の委託先業種" not in page
    row = page[page.index("旧版の委託先業種") :]
    assert old.validity() in row[: row.index("</tr>")]
