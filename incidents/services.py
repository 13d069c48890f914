"""The incidents' write path: every incident is created and changed here.

Each step takes data and an actor, checks the actor's rights (registry.access), locks the
row, validates, and saves with the actor named in the history, in one transaction.

Who may do what: the section concerned (所管課職員 of the incident's section) records
and updates it; the 事務局 updates it too (it reports to the Commission) and alone
releases it for publication; 審査担当 read. Administrators may do everything."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from incidents.deadlines import clocks
from incidents.models import Incident
from registry.access import is_clerk, is_section_staff_of, may_create_in
from registry.audited import apply_data, editable_fields, locked, save_audited

# What a form or an import may set; the section is set once, on creation, and the
# status and the publication date only by their own steps.
INCIDENT_FIELDS = editable_fields(Incident, "section", "status")

SECTION_ONLY = "漏えい等事案を登録できるのは所管課の職員です。"
EDIT_DENIED = "この漏えい等事案を変更できるのは所管課の職員または事務局です。"
CLERKS_ONLY = "漏えい等事案を公表できるのは事務局です。"


def may_edit_incident(user, incident: Incident) -> bool:
    return user.is_authenticated and (
        user.is_superuser or is_clerk(user) or is_section_staff_of(user, incident.section_id)
    )


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


@transaction.atomic
def incident_create(*, actor, section, data: Mapping[str, Any]) -> Incident:
    _require(may_create_in(actor, section.pk), SECTION_ONLY)
    incident = Incident(section=section)
    relations = apply_data(incident, data, INCIDENT_FIELDS)
    return save_audited(incident, actor=actor, relations=relations)


@transaction.atomic
def incident_update(*, actor, incident: Incident, data: Mapping[str, Any]) -> Incident:
    _require(may_edit_incident(actor, incident), EDIT_DENIED)
    incident = locked(incident)
    if incident.status == Incident.Status.CLOSED:
        raise ValidationError("対応完了の事案は変更できません。")
    relations = apply_data(incident, data, INCIDENT_FIELDS)
    return save_audited(incident, actor=actor, relations=relations)


@transaction.atomic
def incident_close(*, actor, incident: Incident) -> Incident:
    """対応完了: only once every report and notice the Act asks for is done."""
    _require(may_edit_incident(actor, incident), EDIT_DENIED)
    incident = locked(incident)
    open_clocks = [clock.label for clock in clocks(incident) if not clock.done]
    if open_clocks:
        raise ValidationError(f"{'・'.join(open_clocks)}が済んでいないため、完了にできません。")
    incident.status = Incident.Status.CLOSED
    return save_audited(incident, actor=actor)


@transaction.atomic
def incident_release(*, actor, incident: Incident, on: dt.date | None = None) -> Incident:
    """公表: the 事務局 releases the incident's public summary under the ward's 公表基準.
    A case held back by one of the 基準's reasons, or without a public summary, is not."""
    _require(is_clerk(actor), CLERKS_ONLY)
    incident = locked(incident)
    if incident.publication_exception:
        raise ValidationError(
            f"公表しない理由（{incident.get_publication_exception_display()}）があるため公表できません。"
        )
    if not incident.public_summary.strip():
        raise ValidationError("公表する概要を書いてから公表してください。")
    incident.released_on = on or timezone.localdate()
    return save_audited(incident, actor=actor)
