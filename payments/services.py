"""Changes to the payment channels and their data flows (税目, 納付チャネル, 関係者, 項目,
項目セット, データの流れ): one audited step each, checked against who keeps them
(registry.access.may_change_flows), applied to the locked row and kept in its history
with the actor's name. The admin calls these; nothing else writes a flow."""

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import transaction

from payments.models import Channel, DataItem, Flow, ItemSet, ItemSetEntry, Party, TaxType
from registry.access import may_change_flows
from registry.audited import apply_data, editable_fields, locked, save_audited

FlowRow = TypeVar("FlowRow", TaxType, Channel, Party, DataItem, ItemSet, Flow)

FIELDS = {model: editable_fields(model) for model in (TaxType, Channel, Party, DataItem, Flow)}
# An item set's items are its ordered entries, written by item_set_entries_save.
FIELDS[ItemSet] = editable_fields(ItemSet, "items")
ENTRY_FIELDS = editable_fields(ItemSetEntry, "item_set")
CLERKS_ONLY = "納付チャネルとデータの流れを登録・変更できるのは事務局です。"


def _require_keeper(actor) -> None:
    if not may_change_flows(actor):
        raise PermissionDenied(CLERKS_ONLY)


@transaction.atomic
def flow_row_create(*, actor, model: type[FlowRow], data: Mapping[str, Any]) -> FlowRow:
    _require_keeper(actor)
    row = model()
    relations = apply_data(row, data, FIELDS[model])
    return save_audited(row, actor=actor, relations=relations)


@transaction.atomic
def flow_row_update(*, actor, row: FlowRow, data: Mapping[str, Any]) -> FlowRow:
    _require_keeper(actor)
    row = locked(row)
    relations = apply_data(row, data, FIELDS[type(row)])
    return save_audited(row, actor=actor, relations=relations)


@transaction.atomic
def item_set_entries_save(
    *,
    actor,
    item_set: ItemSet,
    rows: Iterable[tuple[ItemSetEntry | None, Mapping[str, Any], bool]],
) -> None:
    """Add, change or remove an item set's entries: (existing entry or None, data,
    deleted) per changed row, as the admin's inline gives them."""
    _require_keeper(actor)
    item_set = locked(item_set)
    for entry, data, deleted in rows:
        if entry is not None:
            entry = locked(entry)
            if entry.item_set_id != item_set.pk:
                raise PermissionDenied("別の項目セットの行は変更できません。")
        if deleted:
            entry._history_user = actor
            entry.delete()
            continue
        entry = entry or ItemSetEntry(item_set=item_set)
        apply_data(entry, data, ENTRY_FIELDS)
        save_audited(entry, actor=actor)
