"""Payment channels and data flows change only through payments.services: clerks keep
them, every change names its author in the history, and the admin writes through it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from payments import services
from payments.models import Channel, DataItem, Flow, ItemSet
from registry import roles
from tests.factories import DataItemFactory, FlowFactory, user_with_role
from tests.payments.test_admin import post_flow

pytestmark = pytest.mark.usefixtures("seed")


@pytest.fixture
def clerk():
    return user_with_role(roles.CLERK, is_staff=True)


@pytest.fixture
def reviewer():
    return user_with_role(roles.REVIEWER, is_staff=True)


def test_a_clerk_adds_and_changes_a_channel_with_history(clerk):
    channel = services.flow_row_create(
        actor=clerk, model=Channel, data={"name": "スマホ決済", "started_on": "2026-04-01"}
    )
    services.flow_row_update(actor=clerk, row=channel, data={"description": "アプリで納付"})
    history = list(channel.history.order_by("history_date"))
    assert [h.history_type for h in history] == ["+", "~"]
    assert {h.history_user for h in history} == {clerk}
    assert Channel.objects.get(pk=channel.pk).description == "アプリで納付"


def test_reviewers_and_section_staff_may_not_change_flows(reviewer):
    flow = FlowFactory()
    staff = user_with_role(roles.SECTION_STAFF)
    for actor in (reviewer, staff):
        with pytest.raises(PermissionDenied, match="事務局です"):
            services.flow_row_update(actor=actor, row=flow, data={"label": "書き換え"})
        with pytest.raises(PermissionDenied):
            services.flow_row_create(actor=actor, model=DataItem, data={"name": "新項目"})
    assert Flow.objects.get(pk=flow.pk).label == ""
    assert not DataItem.objects.filter(name="新項目").exists()


def test_a_flow_is_validated_and_its_lists_are_kept_in_the_history(clerk):
    flow = FlowFactory()
    with pytest.raises(ValidationError):
        services.flow_row_update(actor=clerk, row=flow, data={"receiver": flow.sender})
    with pytest.raises(ValidationError, match="変更できない項目です: id"):
        services.flow_row_update(actor=clerk, row=flow, data={"id": 99})
    items = DataItemFactory.create_batch(2)
    services.flow_row_update(actor=clerk, row=flow, data={"items": items})
    latest = flow.history.latest()
    assert latest.history_user == clerk
    assert {entry.dataitem_id for entry in latest.items.all()} == {i.pk for i in items}


def test_item_set_entries_are_added_and_removed_through_the_service(clerk, reviewer):
    item_set = services.flow_row_create(actor=clerk, model=ItemSet, data={"name": "新しい組"})
    first, second = DataItemFactory.create_batch(2)
    rows = [
        (None, {"item": first, "position": 1}, False),
        (None, {"item": second, "position": 2}, False),
    ]
    services.item_set_entries_save(actor=clerk, item_set=item_set, rows=rows)
    assert list(item_set.entries.order_by("position").values_list("item", flat=True)) == [
        first.pk,
        second.pk,
    ]
    entry = item_set.entries.get(item=first)
    with pytest.raises(PermissionDenied):
        services.item_set_entries_save(actor=reviewer, item_set=item_set, rows=[(entry, {}, True)])
    services.item_set_entries_save(actor=clerk, item_set=item_set, rows=[(entry, {}, True)])
    assert list(item_set.entries.values_list("item", flat=True)) == [second.pk]
    deleted = entry.history.filter(history_type="-").get()
    assert deleted.history_user == clerk


def test_the_admin_saves_a_flow_through_the_service(client, clerk, reviewer):
    flow = Flow.objects.get(sender__name="練馬区", item_set__name="納付書情報")
    client.force_login(clerk)
    response = post_flow(client, flow, label="納付書情報（改）")
    assert response.status_code == 302
    assert flow.history.latest().history_user == clerk
    assert Flow.objects.get(pk=flow.pk).label == "納付書情報（改）"
    # A reviewer reads the flows but cannot change them.
    client.force_login(reviewer)
    assert post_flow(client, flow, label="別名").status_code == 403
    assert Flow.objects.get(pk=flow.pk).label == "納付書情報（改）"
