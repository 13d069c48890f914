"""Changes to the shared registers (所管課, 業務, 相手方, 職員の所属): one audited step
each, for the admin, its inline rows and the spreadsheet import alike.

A register row is printed on every record that cites it, so a change is checked against
who keeps the register (registry.access), applied to the locked row, and recorded in
the row's history with the actor's name."""

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from registry.access import may_add_organization, may_change_register
from registry.audited import (
    Row,
    apply_data,
    apply_many,
    editable_fields,
    locked,
    save_audited,
    save_many_audited,
)
from registry.models import Business, Organization, Section, StaffMember

Register = TypeVar("Register", Section, Business, Organization, StaffMember)

FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Section: ("department", "name", "manager_title"),
    Business: ("number", "name", "section"),
    Organization: ("name", "address", "is_terms_of_service", "note"),
    StaffMember: ("user", "section"),
}


def _check_actor(actor, model: type[models.Model]) -> None:
    if not may_change_register(actor, model._meta.model_name):
        raise PermissionDenied(f"{model._meta.verbose_name}を登録・変更する権限がありません。")


@transaction.atomic
def register_create(*, actor, model: type[Register], data: Mapping[str, Any]) -> Register:
    _check_actor(actor, model)
    row = model()
    apply_data(row, data, FIELDS[model])
    return save_audited(row, actor=actor)


@transaction.atomic
def register_update(*, actor, row: Register, data: Mapping[str, Any]) -> Register:
    _check_actor(actor, type(row))
    row = locked(row)
    apply_data(row, data, FIELDS[type(row)])
    return save_audited(row, actor=actor)


@transaction.atomic
def register_save_many(
    *, actor, model: type[Register], rows: Sequence[tuple[Register | None, Mapping[str, Any]]]
) -> list[Register]:
    """The bulk variant of register_create and register_update, for a spreadsheet import:
    `rows` pairs each existing row (None for a new one) with its data. The actor's right
    is checked once, for the whole file: refused, nothing is written."""
    _check_actor(actor, model)
    created, updated = apply_many(model, rows, allowed=FIELDS[model])
    return save_many_audited(
        model, created=created, updated=updated, fields=FIELDS[model], actor=actor
    )


def section_create(*, actor, data: Mapping[str, Any]) -> Section:
    return register_create(actor=actor, model=Section, data=data)


def section_update(*, actor, section: Section, data: Mapping[str, Any]) -> Section:
    return register_update(actor=actor, row=section, data=data)


def business_create(*, actor, data: Mapping[str, Any]) -> Business:
    return register_create(actor=actor, model=Business, data=data)


def business_update(*, actor, business: Business, data: Mapping[str, Any]) -> Business:
    return register_update(actor=actor, row=business, data=data)


@transaction.atomic
def organization_create(*, actor, data: Mapping[str, Any]) -> Organization:
    """Add an organisation: reviewers and clerks, and section staff for the contractor of a
    record they file. The same name and address twice is refused; a similar name is the
    caller's to point out (Organization.objects.similar_to)."""
    if not may_add_organization(actor):
        raise PermissionDenied("相手方を登録する権限がありません。")
    row = Organization()
    apply_data(row, data, FIELDS[Organization])
    if Organization.objects.filter(name=row.name, address=row.address).exists():
        raise ValidationError(
            {"name": f"「{row.name}」（{row.address or '住所なし'}）は既に登録されています。"}
        )
    return save_audited(row, actor=actor)


def organization_update(
    *, actor, organization: Organization, data: Mapping[str, Any]
) -> Organization:
    """Rename or correct an organisation. Approved records keep what was approved; the
    admin names the records that cite it, so their sections can amend them."""
    return register_update(actor=actor, row=organization, data=data)


def staff_member_create(*, actor, data: Mapping[str, Any]) -> StaffMember:
    """Put a user in a section (clerks and administrators only): from then on the user
    sees and edits that section's records."""
    return register_create(actor=actor, model=StaffMember, data=data)


def staff_member_update(
    *, actor, staff_member: StaffMember, data: Mapping[str, Any]
) -> StaffMember:
    return register_update(actor=actor, row=staff_member, data=data)


# --- the wording of the protection-measure checklists (Form 5's, 電算処理's) -----------


@transaction.atomic
def checklist_measure_create(*, actor, model: type[Row], data: Mapping[str, Any]) -> Row:
    """Add a row to a checklist's wording (linkages.ProtectionMeasure,
    processing.ProcessingMeasure): the 事務局 keeps them; a retired row (`is_active` off)
    keeps the answers given to it, so rows are never deleted."""
    _check_actor(actor, model)
    measure = model()
    apply_data(measure, data, editable_fields(model))
    return save_audited(measure, actor=actor)


@transaction.atomic
def checklist_measure_update(*, actor, measure: Row, data: Mapping[str, Any]) -> Row:
    _check_actor(actor, type(measure))
    measure = locked(measure)
    apply_data(measure, data, editable_fields(type(measure)))
    return save_audited(measure, actor=actor)
