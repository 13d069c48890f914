"""Changes to the protection-measure checklist's wording (情報保護対策): the 事務局 keeps
it, every change is kept with its author, and a retired row (`is_active` off) keeps the
answers given to it. Linkage records themselves change through reviews.workflow.services."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from linkages.models import ProtectionMeasure
from registry.access import may_change_register
from registry.audited import apply_data, editable_fields, locked, save_audited

FIELDS = editable_fields(ProtectionMeasure)


def _require_keeper(actor) -> None:
    if not may_change_register(actor, "protectionmeasure"):
        raise PermissionDenied("チェックリスト項目を登録・変更できるのは事務局です。")


@transaction.atomic
def protection_measure_create(*, actor, data: Mapping[str, Any]) -> ProtectionMeasure:
    _require_keeper(actor)
    measure = ProtectionMeasure()
    apply_data(measure, data, FIELDS)
    return save_audited(measure, actor=actor)


@transaction.atomic
def protection_measure_update(
    *, actor, measure: ProtectionMeasure, data: Mapping[str, Any]
) -> ProtectionMeasure:
    _require_keeper(actor)
    measure = locked(measure)
    apply_data(measure, data, FIELDS)
    return save_audited(measure, actor=actor)
