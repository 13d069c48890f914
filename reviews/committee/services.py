"""The internal committee's steps: meetings (事務局), agenda items and the records they
put forward (the section's staff), and the decision (審査担当), which approves or
returns every record the item put forward. Each step takes data and an actor, checks
the role (registry.access), locks the row, validates and saves with the actor in the
history, in one transaction."""

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from notation import wareki
from registry.access import decides_agenda_items, is_clerk, may_create_in
from registry.audited import apply_data, locked, save_audited
from reviews.committee.models import AgendaItem, AgendaRecord, CommitteeMeeting
from reviews.workflow.models import ReviewedRecord
from reviews.workflow.services import WorkflowError, record_approve, record_return
from reviews.workflow.states import REGISTER_STATES, UNDER_REVIEW_STATES

MEETING_FIELDS = ("title", "held_on")
ITEM_FIELDS = (
    "meeting",
    "position",
    "material_number",
    "section",
    "subject",
    "basis_article",
    "kinds",
    "project_name",
    "purpose",
    "targets",
    "summary",
    "expected_count",
    "flow_number",
    "flow_title",
)
DECISION_FIELDS = ("decision", "decided_on", "decision_comment", "decided_by")
RECORD_FIELDS = ("request", "amended_since", "list_number", "list_title", "list_heading")


# Meetings


def meeting_create(*, actor, data: dict[str, Any]) -> CommitteeMeeting:
    if not is_clerk(actor):
        raise PermissionDenied("会議を登録できるのは事務局です。")
    meeting = CommitteeMeeting()
    apply_data(meeting, data, MEETING_FIELDS)
    with transaction.atomic():
        return save_audited(meeting, actor=actor)


def meeting_save(*, actor, meeting: CommitteeMeeting, data: dict[str, Any]) -> CommitteeMeeting:
    if not is_clerk(actor):
        raise PermissionDenied("会議を変更できるのは事務局です。")
    with transaction.atomic():
        meeting = locked(meeting)
        apply_data(meeting, data, MEETING_FIELDS)
        return save_audited(meeting, actor=actor)


# Agenda items


def _check_kinds(kinds: list[str]) -> None:
    unknown = [kind for kind in kinds if kind not in AgendaItem.Kind.values]
    if unknown or not kinds:
        raise ValidationError({"kinds": "付議の種類を一つ以上選んでください。"})


def _check_records(item: AgendaItem, rows: list[dict[str, Any]]) -> None:
    """What an item may put forward: its own section's records of a kind the committee
    sees, not yet approved (an approved record is put forward through its amendment),
    each once, with what the item asks for it."""
    problems, seen = [], set()
    for row in rows:
        record = row["record"]
        if not isinstance(record, ReviewedRecord) or not record.agenda_kind:
            raise ValueError(f"{record!r} cannot be put to the committee")
        name = f"{record._meta.verbose_name}「{record}」"
        if record.business.section_id != item.section_id:
            problems.append(f"{name}は担当部課（{item.section}）の記録ではありません。")
        if record.state in REGISTER_STATES:
            problems.append(f"{name}は承認済みです。変更を始めて、変更版を付議してください。")
        if (type(record), record.pk) in seen:
            problems.append(f"{name}が二度選ばれています。")
        seen.add((type(record), record.pk))
        if not row.get("request", "").strip():
            problems.append(f"{name}の付議内容を入力してください。")
    if problems:
        raise ValidationError(problems)


def _write_records(actor, item: AgendaItem, rows: list[dict[str, Any]]) -> None:
    for old in item.records.all():
        old._history_user = actor
        old.delete()
    for position, row in enumerate(rows, start=1):
        record = row["record"]
        entry = AgendaRecord(
            item=item,
            position=position,
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
        )
        apply_data(entry, {k: v for k, v in row.items() if k != "record"}, RECORD_FIELDS)
        save_audited(entry, actor=actor)


def agenda_item_create(*, actor, data: dict[str, Any], records: list[dict[str, Any]]) -> AgendaItem:
    """A section's agenda item with the records it puts forward (`records`: dicts with
    the record and the AgendaRecord fields, in print order)."""
    item = AgendaItem()
    apply_data(item, data, ITEM_FIELDS)
    if item.section_id is None or not may_create_in(actor, item.section_id):
        raise PermissionDenied("付議事項を作成できるのは担当部課の職員です。")
    _check_kinds(item.kinds)
    _check_records(item, records)
    with transaction.atomic():
        save_audited(item, actor=actor)
        _write_records(actor, item, records)
    return item


def agenda_item_save(
    *, actor, item: AgendaItem, data: dict[str, Any], records: list[dict[str, Any]]
) -> AgendaItem:
    """Change an undecided item (its own section's staff); the records are replaced by
    `records`."""
    with transaction.atomic():
        item = locked(item)
        if not may_create_in(actor, item.section_id):
            raise PermissionDenied("付議事項を変更できるのは担当部課の職員です。")
        if item.is_decided:
            raise WorkflowError("決定済みの付議事項は変更できません。")
        section_id = item.section_id
        apply_data(item, data, ITEM_FIELDS)
        if item.section_id != section_id and not may_create_in(actor, item.section_id):
            raise PermissionDenied("担当部課を他の課に変えることはできません。")
        _check_kinds(item.kinds)
        _check_records(item, records)
        save_audited(item, actor=actor)
        _write_records(actor, item, records)
    return item


def agenda_item_decide(
    *,
    actor,
    item: AgendaItem,
    decision: str,
    decided_on: dt.date,
    comment: str = "",
) -> AgendaItem:
    """Record the committee's decision. 承認 / 条件付き承認 approves every record the item
    put forward, with the decision as the approval basis; 不承認 returns them to the
    section with the reason. Every record must be under review: a draft or a returned
    record is not what the committee decided on, so the decision is refused whole."""
    if not decides_agenda_items(actor):
        raise PermissionDenied("付議事項の決定を記録できるのは審査担当です。")
    if decision not in AgendaItem.Decision.values:
        raise ValidationError({"decision": "決定を選んでください。"})
    if decided_on is None:
        raise ValidationError({"decided_on": "決定日を入力してください。"})
    today = timezone.localdate()
    if decided_on > today:
        # A decision approves the records at once: one dated at a meeting still to come
        # would put them in force before the committee has met.
        raise ValidationError(
            {
                "decided_on": f"決定日（{wareki.format_date(decided_on)}）が今日"
                f"（{wareki.format_date(today)}）より後です。"
                "会議で決定した後に、その日付で記録してください。"
            }
        )
    if decision == AgendaItem.Decision.REJECTED and not comment.strip():
        raise ValidationError({"decision_comment": "不承認の理由を入力してください。"})
    with transaction.atomic():
        item = AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
        if item.is_decided:
            raise WorkflowError(f"この付議事項は{item.get_decision_display()}と決定済みです。")
        records = [entry.record for entry in item.records.all()]
        if not records:
            raise ValidationError("付議する記録がありません。")
        waiting = [r for r in records if r.state not in UNDER_REVIEW_STATES]
        if waiting:
            raise ValidationError(
                [
                    f"{r._meta.verbose_name}「{r}」は「{r.get_state_display()}」です。"
                    "審査に提出されてから決定を記録してください。"
                    for r in waiting
                ]
            )
        decision_data = {
            "decision": decision,
            "decided_on": decided_on,
            "decision_comment": comment,
            "decided_by": actor,
        }
        apply_data(item, decision_data, DECISION_FIELDS)
        save_audited(item, actor=actor)
        note = f"{item}（{timezone.localdate():%Y-%m-%d} 記録）"
        for record in records:
            if item.approves:
                record_approve(actor=actor, record=record, agenda_item=item, comment=note)
            else:
                record_return(actor=actor, record=record, comment=f"{note}\n{comment}")
    return item
