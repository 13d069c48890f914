"""The steps every audited write shares, whatever the register: lock the row, set only
the fields the step allows, validate, save with the actor named in the history.

The services of each app (reviews.council, payments, ...) decide who may write and what;
these helpers make sure they all write the same way."""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from notation.jis import to_jis_x_0208_values
from registry.changes import change_stamp_bump

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


# --- the bulk variants, for a spreadsheet import of thousands of rows -----------------

BATCH_SIZE = 1000


def apply_many(
    model: type[Row],
    rows: Sequence[tuple[Row | None, Mapping[str, Any]]],
    *,
    allowed: Iterable[str],
    allowed_new: Iterable[str] = (),
) -> tuple[list[Row], list[Row]]:
    """The bulk variant of locked + apply_data: `rows` pairs an existing row (None for a
    new one) with its data. Returns (new rows, changed rows), the changed ones read
    again under one lock. A new row may also set `allowed_new` (what names it, e.g. a
    category's example's category). Many-to-many values are not written in bulk."""
    allowed, allowed_new = tuple(allowed), tuple(allowed_new)
    pks = [row.pk for row, _ in rows if row is not None]
    # With what the rows point to, so validating them needs no query per row.
    related = [f.name for f in model._meta.concrete_fields if f.many_to_one]
    locking = model._default_manager.select_for_update(of=("self",))
    current = locking.select_related(*related).in_bulk(pks)
    created, updated = [], []
    for row, data in rows:
        target = model() if row is None else current[row.pk]
        if apply_data(target, data, allowed + allowed_new if row is None else allowed):
            raise ValueError(f"{model._meta.label}: many-to-many values are not saved in bulk")
        (created if row is None else updated).append(target)
    return created, updated


def validate_loaded(row: models.Model, *, unique: bool = True) -> None:
    """full_clean, except for foreign keys given as objects read from the database: a
    form or a sheet already looked them up, and a query per key and row would make a
    10,000-row import crawl. unique=False leaves uniqueness and the other constraints,
    each a query per row, to the database."""
    exclude = [
        f.name
        for f in row._meta.concrete_fields
        if f.is_relation
        and (value := getattr(row, f.name, None)) is not None
        and not value._state.adding
    ]
    row.full_clean(exclude=exclude, validate_unique=unique, validate_constraints=unique)


def save_many_audited(
    model: type[Row], *, created: list[Row], updated: list[Row], fields: Iterable[str], actor
) -> list[Row]:
    """The bulk variant of save_audited: validate every row, then write them (`fields` of
    the changed ones) and their history rows naming the actor, in a few queries.
    Uniqueness and the other constraints are left to the database: a check per row
    would cost a query each."""
    for row in [*created, *updated]:
        validate_loaded(row, unique=False)
    created = bulk_create_with_history(created, model, batch_size=BATCH_SIZE, default_user=actor)
    if updated:
        concrete = {f.name for f in model._meta.concrete_fields}
        fields = [name for name in fields if name in concrete]
        bulk_update_with_history(updated, model, fields, batch_size=BATCH_SIZE, default_user=actor)
    if created or updated:
        change_stamp_bump()  # bulk history rows send no signal
    return [*created, *updated]


def editable_fields(model: type[models.Model], *exclude: str) -> tuple[str, ...]:
    return tuple(
        f.name
        for f in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if f.editable and not f.primary_key and f.name not in exclude
    )
