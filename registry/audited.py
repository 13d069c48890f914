"""The steps every audited write shares, whatever the register: lock the row, set only
the fields the step allows, validate, save with the actor named in the history.

The services of each app (reviews.council, payments, ...) decide who may write and what;
these helpers make sure they all write the same way."""

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models

from notation.jis import to_jis_x_0208_values

Row = TypeVar("Row", bound=models.Model)


def locked(row: Row) -> Row:
    """The row as it is now, locked until the transaction ends, so two people saving
    at once are applied one after the other."""
    return type(row)._default_manager.select_for_update().get(pk=row.pk)


def apply_data(row: models.Model, data: Mapping[str, Any], allowed: Iterable[str]) -> dict:
    """Set the fields data names; refuse any field the step does not let callers set
    (a section, a number, a state). Returns the many-to-many values, set after saving."""
    allowed = set(allowed)
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError(f"変更できない項目です: {'、'.join(sorted(unknown))}")
    relations = {}
    # Windows' look-alikes stored as JIS X 0208 (notation.jis), whoever writes.
    for name, value in to_jis_x_0208_values(data).items():
        if row._meta.get_field(name).many_to_many:
            relations[name] = value
        else:
            setattr(row, name, value)
    return relations


def save_audited(row: Row, *, actor, relations: Mapping[str, Any] | None = None) -> Row:
    """Validate and save, naming the actor in the history row(s) it writes."""
    row.full_clean()
    row._history_user = actor
    row.save()
    for name, value in (relations or {}).items():
        getattr(row, name).set(value)
    return row


def editable_fields(model: type[models.Model], *exclude: str) -> tuple[str, ...]:
    return tuple(
        f.name
        for f in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if f.editable and not f.primary_key and f.name not in exclude
    )
