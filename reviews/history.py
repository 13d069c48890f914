"""Readable change history and side-by-side comparison of Form 2 / Form 5 records.

django-simple-history keeps a snapshot per save; this module turns consecutive snapshots
into rows of (項目, 変更前, 変更後, 誰が, いつ) for the record page and the admin."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import models

from printing import wareki
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


def person_name(user) -> str:
    """Family name first, as names are written in Japanese; the login name otherwise."""
    if user is None:
        return "（システム）"
    return f"{user.last_name} {user.first_name}".strip() or user.get_username()


def display_value(model_field: models.Field, value) -> str:
    """One stored value as the forms show it (era dates, choice labels, related names)."""
    if value in (None, "", []):
        return EMPTY
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.DateField) and isinstance(value, dt.date):
        if isinstance(model_field, WarekiMonthField):
            return wareki.format_month(value)
        return wareki.format_date(value)
    if isinstance(model_field, models.ForeignKey):
        related = model_field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related else f"（削除済み: {value}）"
    return str(value)


def _m2m_labels(model_field: models.ManyToManyField, rows: list[dict]) -> str:
    target = model_field.related_model
    key = model_field.m2m_reverse_field_name()
    ids = [row[key] for row in rows]
    # In the vocabulary's own order, as the form lists it.
    labels = [str(obj) for obj in target._default_manager.filter(pk__in=ids)]
    return "、".join(labels) or EMPTY


def _changes(model, newer, older) -> list[Change]:
    delta = newer.diff_against(older, excluded_fields=HIDDEN_FIELDS)
    changes = []
    for change in delta.changes:
        model_field = model._meta.get_field(change.field)
        label = str(model_field.verbose_name)
        if model_field.many_to_many:
            old, new = _m2m_labels(model_field, change.old), _m2m_labels(model_field, change.new)
        else:
            old = display_value(model_field, change.old)
            new = display_value(model_field, change.new)
        changes.append(Change(label, old, new))
    return changes


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
    entries = []
    for index, group in enumerate(groups):
        newest = group[-1]
        user = person_name(newest.history_user)
        if index == 0:
            entries.append(HistoryEntry(newest.history_date, user, "作成"))
            continue
        changes = _changes(model, newest, groups[index - 1][-1])
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
    return _changes(type(record), latest, loaded), person_name(latest.history_user)


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
