"""record_create / record_save take data, not forms: every caller (staff pages, admin,
import, a shell) gets the same checks of the actor, the state and the content, and the
same audit trail."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from consignments.models import Consignment, RecordKind
from linkages.models import Linkage, LinkageItem
from reviews.workflow import services
from reviews.workflow.history import history_entries
from reviews.workflow.states import Action, State
from tests.factories import (
    BusinessFactory,
    ConsignmentFactory,
    OrganizationFactory,
)

pytestmark = pytest.mark.django_db


def form2_data(business, **changes) -> dict:
    return {
        "business": business,
        "contractor_type": "収納代行事業者",
        "content": "・納付結果情報を区に送信する。",
        "period_kind": Consignment.PeriodKind.ONGOING,
        "period_start": dt.date(2019, 4, 1),
        "manager": "収納課長",
        "effective_from": dt.date(2019, 4, 1),
        **changes,
    }


def test_it_creates_a_draft_with_its_lists_a_transition_and_one_snapshot(section, staff):
    kinds = list(RecordKind.objects.all()[:2])
    assert kinds, "the checkbox vocabulary ships in a data migration"

    record = services.record_create(
        actor=staff,
        model=Consignment,
        data=form2_data(BusinessFactory(section=section), record_kinds=kinds),
    )

    record = Consignment.objects.get(pk=record.pk)
    assert (record.state, record.lock_version) == (State.DRAFT, 1)
    assert list(record.record_kinds.all()) == kinds
    [transition] = record.transitions.all()
    assert (transition.action, transition.to_state, transition.actor) == (
        Action.CREATE,
        State.DRAFT,
        staff,
    )
    [snapshot] = record.history.all()
    assert snapshot.history_user == staff
    assert {row.recordkind_id for row in snapshot.record_kinds.all()} == {k.pk for k in kinds}


@pytest.mark.parametrize(
    "key", ["state", "lock_version", "approval_category", "approved_at", "amends"]
)
def test_it_refuses_data_naming_a_workflow_field(section, staff, key):
    with pytest.raises(ValidationError, match="審査の手続き"):
        services.record_create(
            actor=staff,
            model=Consignment,
            data=form2_data(BusinessFactory(section=section), **{key: None}),
        )
    draft = ConsignmentFactory(business=BusinessFactory(section=section), state=State.DRAFT)
    with pytest.raises(ValidationError, match="審査の手続き"):
        services.record_save(
            actor=staff, record=draft, data={key: None}, loaded_version=draft.lock_version
        )
    assert not Consignment.objects.filter(state=State.APPROVED).exists()


def test_it_refuses_to_create_in_another_section(staff):
    with pytest.raises(PermissionDenied):
        services.record_create(actor=staff, model=Consignment, data=form2_data(BusinessFactory()))
    assert not Consignment.objects.exists()


def test_it_refuses_invalid_content(section, staff):
    with pytest.raises(ValidationError) as error:
        services.record_create(
            actor=staff,
            model=Consignment,
            data=form2_data(BusinessFactory(section=section), period_start=None),
        )
    assert "period_start" in error.value.message_dict
    assert not Consignment.objects.exists()


def test_a_save_is_one_snapshot_with_its_lists_and_refuses_a_stale_copy(section, staff):
    draft = ConsignmentFactory(business=BusinessFactory(section=section), state=State.DRAFT)
    kinds = list(RecordKind.objects.all()[:1])
    snapshots = draft.history.count()

    saved = services.record_save(
        actor=staff,
        record=draft,
        data={"content": "・変更後の内容", "record_kinds": kinds},
        loaded_version=1,
    )

    assert saved.lock_version == 2
    assert draft.history.count() == snapshots + 1
    assert {c.label for c in history_entries(saved)[0].changes} == {
        "委託内容",
        "預託する管理個人情報の記録の種別",
    }
    with pytest.raises(services.EditConflict):
        services.record_save(
            actor=staff, record=draft, data={"content": "古い版"}, loaded_version=1
        )
    assert Consignment.objects.get(pk=draft.pk).content == "・変更後の内容"


@pytest.mark.parametrize("state", [State.SUBMITTED, State.APPROVED, State.AMENDED, State.RETIRED])
def test_it_changes_nothing_outside_the_editable_states(section, staff, state):
    record = ConsignmentFactory(business=BusinessFactory(section=section), state=state)
    with pytest.raises(PermissionDenied):
        services.record_save(
            actor=staff, record=record, data={"content": "書き換え"}, loaded_version=1
        )
    record.refresh_from_db()
    assert (record.content, record.state, record.lock_version) == (
        "・納付結果情報を区に送信する。",
        state,
        1,
    )


def test_it_refuses_to_move_a_draft_to_another_sections_business(section, staff):
    draft = ConsignmentFactory(business=BusinessFactory(section=section), state=State.DRAFT)
    with pytest.raises(PermissionDenied):
        services.record_save(
            actor=staff, record=draft, data={"business": BusinessFactory()}, loaded_version=1
        )
    assert Consignment.objects.get(pk=draft.pk).business.section == section


def test_it_writes_form5_items_as_child_rows_with_their_history(section, staff):
    business = BusinessFactory(section=section)
    linkage = services.record_create(
        actor=staff,
        model=Linkage,
        data={
            "business": business,
            "purpose": "・納付書情報を送信する。",
            "linked_on": dt.date(2020, 1, 1),
            "partner": OrganizationFactory(),
            "manager": "収納課長",
            "effective_from": dt.date(2020, 1, 1),
        },
        children={
            "items": [
                {"direction": LinkageItem.Direction.PROVIDED, "position": 1, "name": "税目"},
                {"direction": LinkageItem.Direction.RECEIVED, "position": 1, "name": "収納日時"},
            ]
        },
    )
    assert [i.name for i in linkage.provided_items] == ["税目"]
    assert LinkageItem.history.filter(linkage_id=linkage.pk, history_user=staff).count() == 2

    services.record_save(
        actor=staff,
        record=linkage,
        data={},
        children={
            "items": [
                {"direction": LinkageItem.Direction.PROVIDED, "position": 1, "name": "税目"},
                {"direction": LinkageItem.Direction.RECEIVED, "position": 1, "name": "収納日"},
            ]
        },
        loaded_version=1,
    )
    linkage = Linkage.objects.get(pk=linkage.pk)
    assert [i.name for i in linkage.received_items] == ["収納日"]
    [change] = [e for e in history_entries(linkage) if any(c.new == "収納日" for c in e.changes)]
    assert {(c.label, c.old, c.new) for c in change.changes} == {
        ("提供を受ける個人情報", "収納日時", ""),
        ("提供を受ける個人情報", "", "収納日"),
    }
