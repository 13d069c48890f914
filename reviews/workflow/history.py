"""Readable change history and side-by-side comparison of Form 2 / Form 5 records.

django-simple-history keeps a snapshot per save; this module turns consecutive snapshots
into rows of (項目, 変更前, 変更後, 誰が, いつ) for the record page and the admin."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Value
from django.db.models.functions import Cast

from notation import wareki
from notation.people import person_name
from registry.fields import WarekiMonthField

# Bookkeeping fields people do not need to read in a history.
HIDDEN_FIELDS = {"id", "lock_version", "approved_at"}
EMPTY = "（空欄）"


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    at: dt.datetime
    user: str
    kind: str
    changes: list[Change] = field(default_factory=list)


def display_value(model_field: models.Field, value) -> str:
    """One stored value as the forms show it (era dates, choice labels). Related objects
    are named by _Snapshots, which reads them in one query per field."""
    if value in (None, "", []):
        return EMPTY
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.DateField) and isinstance(value, dt.date):
        if isinstance(model_field, WarekiMonthField):
            return wareki.format_month(value)
        return wareki.format_date(value)
    return str(value)


class _Snapshots:
    """Field values of some of a record's history snapshots, read in a number of queries
    that depends on the fields, not on how many snapshots there are."""

    def __init__(self, model, snapshots: list):
        self.fields = [
            f for f in model._meta.concrete_fields if f.editable and f.name not in HIDDEN_FIELDS
        ]
        self.m2m = [
            f for f in model._meta.many_to_many if snapshots and hasattr(snapshots[0], f.name)
        ]
        self.values: dict[int, dict[str, object]] = {
            s.pk: {f.name: getattr(s, f.attname) for f in self.fields} for s in snapshots
        }
        self.names: dict[str, dict] = {}
        for f in self.fields:
            if isinstance(f, models.ForeignKey):
                distinct = {v[f.name] for v in self.values.values()}
                # Only a value that changes somewhere is ever shown.
                if len(distinct) > 1:
                    objects = f.related_model._default_manager.in_bulk(distinct - {None})
                    self.names[f.name] = {pk: str(obj) for pk, obj in objects.items()}
        lists = self._chosen(snapshots)
        for f in self.m2m:
            chosen = lists[f.name]
            if len({frozenset(ids) for ids in chosen.values()}) == 1:
                # The same choice in every snapshot: never shown, so never named.
                for pk in chosen:
                    self.values[pk][f.name] = ()
                continue
            targets = set().union(*chosen.values())
            # In the vocabulary's own order, as the form lists it.
            ordered = list(f.related_model._default_manager.filter(pk__in=targets))
            self.names[f.name] = {obj.pk: str(obj) for obj in ordered}
            position = {obj.pk: n for n, obj in enumerate(ordered)}
            for pk, ids in chosen.items():
                self.values[pk][f.name] = tuple(sorted(ids, key=lambda i: position.get(i, -1)))

    def _chosen(self, snapshots: list) -> dict[str, dict[int, set]]:
        """What each list held in each snapshot, {list: {snapshot id: target ids}}: the
        lists' history tables read together in one query."""
        chosen = {f.name: {s.pk: set() for s in snapshots} for f in self.m2m}
        ids = list(self.values)
        parts = [
            getattr(snapshots[0], f.name)
            .model.objects.filter(history__in=ids)
            .annotate(
                list_name=Value(f.name, output_field=models.CharField()),
                # Targets are numbers or codes: one column type for the union.
                target=Cast(f.m2m_reverse_field_name(), models.CharField()),
            )
            .values_list("list_name", "history_id", "target")
            for f in self.m2m
        ]
        if parts:
            keys = {f.name: f.related_model._meta.pk for f in self.m2m}
            for name, history_id, target in parts[0].union(*parts[1:], all=True):
                chosen[name][history_id].add(keys[name].to_python(target))
        return chosen

    def _show(self, f: models.Field, value) -> str:
        if f.many_to_many:
            names = self.names[f.name]
            return "、".join(names.get(pk, str(pk)) for pk in value) or EMPTY
        if isinstance(f, models.ForeignKey) and value is not None:
            return self.names.get(f.name, {}).get(value, f"（削除済み: {value}）")
        return display_value(f, value)

    def changes(self, older, newer) -> list[Change]:
        old, new = self.values[older.pk], self.values[newer.pk]
        return [
            Change(str(f.verbose_name), self._show(f, old[f.name]), self._show(f, new[f.name]))
            for f in [*self.fields, *self.m2m]
            if old[f.name] != new[f.name]
        ]


def history_entries(record) -> list[HistoryEntry]:
    """Every saved change of record, newest first; saves that changed nothing are left out.

    simple-history writes a snapshot per save and per many-to-many change. Every save
    (form, admin or workflow step) raises lock_version, so consecutive snapshots with the
    same lock_version belong to one save and are read as one change."""
    model = type(record)
    snapshots = list(
        record.history.select_related("history_user").order_by("history_date", "history_id")
    )
    groups: list[list] = []
    for snapshot in snapshots:
        last = groups[-1][-1] if groups else None
        if last is not None and last.lock_version == snapshot.lock_version:
            groups[-1].append(snapshot)
        else:
            groups.append([snapshot])
    saves = _Snapshots(model, [group[-1] for group in groups])
    entries = []
    for index, group in enumerate(groups):
        newest = group[-1]
        user = person_name(newest.history_user)
        if index == 0:
            entries.append(HistoryEntry(newest.history_date, user, "作成"))
            continue
        changes = saves.changes(groups[index - 1][-1], newest)
        if changes:
            entries.append(HistoryEntry(newest.history_date, user, "変更", changes))
    # Rows that hang off the record (e.g. Form 5 items) keep their own history.
    for at, user, changes in getattr(record, "child_changes", list)():
        entries.append(HistoryEntry(at, person_name(user), "変更", changes))
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries


def changes_since(record, loaded_version: int) -> tuple[list[Change], str]:
    """What others saved after the copy at loaded_version: (changes, who saved last)."""
    snapshots = record.history.select_related("history_user").order_by("history_date", "history_id")
    loaded = snapshots.filter(lock_version=loaded_version).last()
    latest = snapshots.last()
    if loaded is None or latest is None:
        return [], ""
    changes = _Snapshots(type(record), [loaded, latest]).changes(loaded, latest)
    return changes, person_name(latest.history_user)


@dataclass
class ComparedRow:
    label: str
    old: str
    new: str

    @property
    def changed(self) -> bool:
        return self.old != self.new


def compare(old, new) -> list[ComparedRow]:
    """Side by side, label for label: old and new are two versions of the same record
    (e.g. the approved record and its amendment), both objects with `form_values()`."""
    old_values = dict(old.form_values())
    return [
        ComparedRow(label, old_values.get(label, EMPTY), value)
        for label, value in new.form_values()
    ]
