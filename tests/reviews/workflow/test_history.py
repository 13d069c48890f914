"""Every change to a record (field, old value, new value, who, when) shows on the record
page and in the admin; Form 5 item changes too."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consignments.models import RecordKind
from registry import roles
from reviews.workflow import services
from reviews.workflow.history import history_entries
from reviews.workflow.states import State
from tests.factories import (
    BusinessFactory,
    ConsignmentFactory,
    LinkageFactory,
    LinkageItemFactory,
    PreApprovalCategoryFactory,
    user_with_role,
)
from tests.reviews.workflow.test_edit_conflict import edit_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(section):
    return user_with_role(roles.SECTION_STAFF, section, last_name="収納", first_name="花子")


def test_it_shows_each_changed_field_with_old_and_new_value_and_who(client, section, staff):
    record = ConsignmentFactory(business=BusinessFactory(section=section), state=State.DRAFT)
    client.force_login(staff)
    url = reverse("consignments:edit", args=[record.pk])
    data = edit_data(client.get(url))
    response = client.post(
        url,
        data
        | {
            "contractor_type": "クレジットカード事業者",
            "period_start": "令和2年1月1日",
            "transfer_forms": ["computer", "document"],
        },
    )
    assert response.status_code == 302

    [latest, *_] = history_entries(record)
    assert latest.user == "収納 花子"
    changes = {c.label: (c.old, c.new) for c in latest.changes}
    assert changes["委託先業種"] == ("収納代行事業者", "クレジットカード事業者")
    assert changes["委託期間（開始）"] == ("平成31年4月1日", "令和2年1月1日")
    assert changes["預託する管理個人情報の授受の形態"] == ("（空欄）", "文書、電算処理")
    # One save is one history entry, however many lists it touched.
    assert len([e for e in history_entries(record) if e.user == "収納 花子"]) == 1

    page = client.get(reverse("consignments:detail", args=[record.pk])).content.decode()
    assert "変更履歴" in page
    assert "クレジットカード事業者" in page and "収納代行事業者" in page
    assert "収納 花子" in page


def test_lists_no_save_changed_are_not_read_for_their_names(client, section, staff):
    record = ConsignmentFactory(
        business=BusinessFactory(section=section),
        state=State.DRAFT,
        record_kinds=list(RecordKind.objects.all()[:2]),
    )
    assert record.record_kinds.count() == 2
    client.force_login(staff)
    url = reverse("consignments:edit", args=[record.pk])
    client.post(url, edit_data(client.get(url)) | {"contractor_type": "印刷事業者"})
    with CaptureQueriesContext(connection) as queries:
        [latest, *_] = history_entries(record)
    assert [c.label for c in latest.changes] == ["委託先業種"]
    read = " ".join(query["sql"] for query in queries)
    assert '"consignments_historicalconsignment_record_kinds"' in read
    assert 'FROM "consignments_recordkind"' not in read
    # Every list's history in one query.
    lists = [q for q in queries if "_historicalconsignment_" in q["sql"]]
    assert len(lists) == 1 and "UNION ALL" in lists[0]["sql"]


def test_it_records_workflow_steps_in_the_history_and_the_admin(client, section, staff):
    record = ConsignmentFactory(business=BusinessFactory(section=section), state=State.DRAFT)
    reviewer = user_with_role(roles.REVIEWER, last_name="審査", first_name="一郎")
    services.record_submit(actor=staff, record=record)
    services.record_approve(
        actor=reviewer, record=record, category=PreApprovalCategoryFactory(number=17)
    )
    entries = history_entries(record)
    states = [{c.label: c.new for c in entry.changes}.get("状態") for entry in entries]
    assert states[:2] == ["承認済み", "審査中（提出）"]
    approval = {c.label: (c.old, c.new) for c in entries[0].changes}
    assert approval["承認の根拠（事前一括承認基準）"] == ("（空欄）", "事前一括承認基準(３‐１７)")

    client.force_login(reviewer)
    page = client.get(
        reverse("admin:consignments_consignment_history", args=[record.pk])
    ).content.decode()
    assert "変更履歴" in page
    assert "審査 一郎" in page
    assert "審査中（提出）" in page and "承認済み" in page
    change = client.get(
        reverse("admin:consignments_consignment_change", args=[record.pk])
    ).content.decode()
    assert "審査の経過" in change
    assert "事前一括承認基準(３‐１７)" in change


def test_it_shows_form5_item_changes(client, section, staff):
    record = LinkageFactory(business=BusinessFactory(section=section), state=State.DRAFT)
    LinkageItemFactory(linkage=record, name="納付書番号", position=1)
    client.force_login(staff)
    url = reverse("linkages:edit", args=[record.pk])
    data = edit_data(client.get(url))
    assert data["provided_items_text"] == "納付書番号"
    client.post(url, data | {"provided_items_text": "納付書番号\n確認番号"})
    changes = [
        c for entry in history_entries(record) if entry.user == "収納 花子" for c in entry.changes
    ]
    assert any(c.label == "提供する管理個人情報" and c.new == "確認番号" for c in changes)
    # Rewriting the list does not report the unchanged item as removed and added.
    assert not any(c.old == "納付書番号" or c.new == "納付書番号" for c in changes)
    page = client.get(reverse("linkages:detail", args=[record.pk])).content.decode()
    assert "確認番号" in page


def test_saving_an_unchanged_form_with_browser_line_endings_changes_nothing(client, section, staff):
    record = ConsignmentFactory(
        business=BusinessFactory(section=section), state=State.DRAFT, content="・一行目\n・二行目"
    )
    client.force_login(staff)
    url = reverse("consignments:edit", args=[record.pk])
    data = edit_data(client.get(url))
    client.post(url, data | {"content": "・一行目\r\n・二行目"})
    record.refresh_from_db()
    assert record.content == "・一行目\n・二行目"
    assert all(not entry.changes for entry in history_entries(record))
