"""The committee's gate on the review workflow (reviews.workflow.gates): a record that an
undecided agenda item puts forward waits for the meeting's decision, or it would come to
the meeting already approved. Registered by config.wiring."""

from django.contrib.contenttypes.models import ContentType

from reviews.committee.models import AgendaRecord
from reviews.workflow.models import ReviewedRecord


def waiting_decision(record: ReviewedRecord) -> str:
    """Why a reviewer may not approve the record on another basis yet ("" if nothing)."""
    if not record.agenda_kind:
        return ""
    put_forward = AgendaRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        item__decision="",
    )
    row = put_forward.select_related("item__meeting").first()
    if row is None:
        return ""
    return (
        f"この記録は「{row.item}」で付議され、会議の決定を待っています。"
        "付議事項の画面で会議の決定を記録すると承認されます。"
    )
