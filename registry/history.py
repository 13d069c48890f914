"""The audit trail of the shared registers and the council's records, read for people:
who changed what, when, from what to what.

django-simple-history keeps one snapshot per save. This module compares consecutive
snapshots of one record field by field and names every field and value as the forms do
(era dates, choice labels, the names of related records). It knows no app's models, so
every app with audited records can use it."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import models

from notation import wareki
from notation.people import person_name

EMPTY = "（空欄）"
KINDS = {"+": "作成", "~": "変更", "-": "削除"}


@dataclass
class AuditChange:
    label: str
    old: str
    new: str


@dataclass
class AuditEntry:
    at: dt.datetime
    user: str
    kind: str
    subject: str = ""
    changes: list[AuditChange] = field(default_factory=list)


def _fields(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.editable and f.name != "id"]


def _show(model_field: models.Field, value, names: dict) -> str:
    if value in (None, "", [], ()):
        return EMPTY
    if model_field.many_to_many:
        return "、".join(names.get(pk, str(pk)) for pk in value) or EMPTY
    if isinstance(model_field, models.ForeignKey):
        return names.get(value, f"（削除済み: {value}）")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return "はい" if value else "いいえ"
    if isinstance(model_field, models.DateField) and isinstance(value, dt.date):
        return wareki.format_date(value)
    return str(value)


def audit_entries(record, subject: str = "") -> list[AuditEntry]:
    """Every saved change of record, oldest first; saves that changed nothing are left
    out. `subject` names the record in a combined list (e.g. a report's item)."""
    model = type(record)
    snapshots = list(
        record.history.select_related("history_user").order_by("history_date", "history_id")
    )
    if not snapshots:
        return []
    fields = _fields(model)
    m2m = [f for f in model._meta.many_to_many if hasattr(snapshots[0], f.name)]
    values = [{f.name: getattr(s, f.attname) for f in fields} for s in snapshots]
    for f in m2m:
        for snapshot, row in zip(snapshots, values, strict=True):
            key = f.m2m_reverse_field_name()
            row[f.name] = tuple(sorted(getattr(snapshot, f.name).values_list(key, flat=True)))
    # One query per related model for the names of every value that ever appears.
    names: dict[str, dict] = {}
    for f in [*fields, *m2m]:
        if isinstance(f, models.ForeignKey) or f.many_to_many:
            pks = set()
            for row in values:
                pks |= set(row[f.name]) if f.many_to_many else {row[f.name]}
            objects = f.related_model._default_manager.in_bulk(pks - {None})
            names[f.name] = {pk: str(obj) for pk, obj in objects.items()}
    entries = []
    for index, snapshot in enumerate(snapshots):
        kind = KINDS.get(snapshot.history_type, "変更")
        user = person_name(snapshot.history_user)
        if index == 0 or snapshot.history_type != "~":
            entries.append(AuditEntry(snapshot.history_date, user, kind, subject))
            continue
        old, new = values[index - 1], values[index]
        changes = [
            AuditChange(
                str(f.verbose_name),
                _show(f, old[f.name], names.get(f.name, {})),
                _show(f, new[f.name], names.get(f.name, {})),
            )
            for f in [*fields, *m2m]
            if old[f.name] != new[f.name]
        ]
        if changes:
            entries.append(AuditEntry(snapshot.history_date, user, kind, subject, changes))
    return entries


def deleted_entries(history_model, subject_of, **filters) -> list[AuditEntry]:
    """The deletions of child rows that no longer exist (their own history is gone with
    them from every reverse relation, but the snapshots remain)."""
    return [
        AuditEntry(row.history_date, person_name(row.history_user), "削除", subject_of(row))
        for row in history_model.objects.filter(history_type="-", **filters).select_related(
            "history_user"
        )
    ]
