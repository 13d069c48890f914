"""The review workflow's steps for Form 2 and Form 5 records, each in one transaction
with an explicit actor: the step checks who may take it and from which state, locks the
row and writes its Transition row and history."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from notation import wareki
from notation.jis import to_jis_x_0208_values
from printing.tasks import pdfs_store_enqueue
from registry.access import may_create_in
from registry.audited import validate_loaded
from registry.changes import change_stamp_bump
from reviews.council.models import Answer, PreApprovalCategory
from reviews.workflow.events import transition_recorded
from reviews.workflow.gates import Decision, approval_held
from reviews.workflow.models import APPROVED_CONTENT_FIELDS, ReviewedRecord, Transition
from reviews.workflow.snapshots import write_created_snapshots
from reviews.workflow.states import (
    REGISTER_STATES,
    Action,
    State,
    may,
    may_edit,
    target_state,
)

# The approval basis a correction may fix, besides the record's correctable fields.
BASIS_FIELDS = ("approval_category", "approval_answer")


class WorkflowError(ValidationError):
    """The step is not possible in the record's current state."""


class EditConflict(Exception):
    """Someone saved the record after this copy was loaded (optimistic locking)."""

    def __init__(self, record: ReviewedRecord, loaded_version: int):
        self.record = record
        self.loaded_version = loaded_version
        super().__init__(f"{record} was saved by someone else")


def _locked(record: ReviewedRecord) -> ReviewedRecord:
    """Re-read the row under a lock so two reviewers cannot act on the same state."""
    return type(record).objects.select_for_update().get(pk=record.pk)


def _check(actor, action: str, record: ReviewedRecord) -> str:
    target = target_state(action, record.state)
    if target is None:
        raise WorkflowError(
            f"「{record.get_state_display()}」の記録票には「{Action(action).label}」を行えません。"
        )
    if not may(actor, action, record):
        raise PermissionDenied(f"「{Action(action).label}」を行う権限がありません。")
    return target


def _transition(*, actor, record, action, from_state, to_state, comment="") -> Transition:
    transition = Transition.objects.create(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        comment=comment,
    )
    transition_recorded(transition)
    return transition


def _save(record: ReviewedRecord, actor, fields: list[str]) -> None:
    record._history_user = actor
    record.lock_version += 1
    record.save(update_fields=[*fields, "lock_version"])


def _step(*, actor, record: ReviewedRecord, action: str, before: str, fields=(), comment=""):
    """Save a workflow step (the record's new state and `fields`) with its one
    transition row, from `before` to the state the caller has set."""
    _save(record, actor, ["state", *fields])
    _transition(
        actor=actor,
        record=record,
        action=action,
        from_state=before,
        to_state=record.state,
        comment=comment,
    )


# What a person's data may set: the record's content. The workflow's own fields change
# only by the steps below (submit, approve, amend…), never from a form, the admin or a
# sheet, so a key naming one is refused rather than ignored.
WORKFLOW_FIELDS = frozenset(
    {
        "id",
        "pk",
        "state",
        "lock_version",
        "amends",
        "approval_category",
        "approval_consultation",
        "approval_answer",
        "approval_agenda_item",
        "approved_at",
    }
)


@dataclass
class RecordData:
    """One record's content as plain values: `data` maps field names to values (objects
    for foreign keys, lists of objects or keys for many-to-many), `children` maps each of
    the model's `child_lists` to its rows (dicts of the child's fields)."""

    data: dict[str, Any]
    children: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _split(model: type[ReviewedRecord], entry: RecordData) -> tuple[dict, dict]:
    """(concrete field values, many-to-many values) of entry, refusing workflow fields,
    unknown names and unknown child lists."""
    fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
    by_name = {f.name: f for f in fields} | {f.attname: f for f in fields}
    refused = sorted(
        name
        for name in entry.data
        if name in WORKFLOW_FIELDS or getattr(by_name.get(name), "name", "") in WORKFLOW_FIELDS
    )
    if refused:
        labels = "、".join(
            f"「{by_name[name].verbose_name if name in by_name else name}」" for name in refused
        )
        raise ValidationError(
            f"{labels}は審査の手続き（提出・承認など）でのみ変わります。データから書き込めません。"
        )
    unknown = sorted(set(entry.data) - set(by_name)) + sorted(
        set(entry.children) - set(model.child_lists)
    )
    if unknown:
        raise ValueError(f"{model._meta.label} has no field or child list {unknown}")
    concrete, many = {}, {}
    # Windows' look-alikes stored as JIS X 0208 (notation.jis), whoever writes.
    for name, value in to_jis_x_0208_values(entry.data).items():
        model_field = by_name[name]
        if model_field.many_to_many:
            many[model_field.name] = list(value or [])
        else:
            concrete[name] = value
    return concrete, many


def _check_create(actor, model: type[ReviewedRecord], business) -> None:
    if business is None:
        raise ValidationError({"business": "業務を選んでください。"})
    if not may_create_in(actor, business.section_id):
        raise PermissionDenied(
            f"{business.section}の{model._meta.verbose_name}を作成する権限がありません。"
        )


def _child_relation(model: type[ReviewedRecord], name: str):
    relation = model._meta.get_field(name)
    return relation.related_model, relation.field.name


def _child_values(row: dict) -> tuple:
    """A child row's values, comparable whether given as data or read from the table."""
    return tuple(
        (key, getattr(value, "pk", value))
        for key, value in sorted(row.items(), key=lambda kv: kv[0])
    )


def _build_children(record: ReviewedRecord, children: dict[str, list[dict]]) -> dict:
    """Unsaved child rows by child model, for a record that has a key."""
    built: dict[type, list] = {}
    for name, rows in children.items():
        child_model, parent = _child_relation(type(record), name)
        built.setdefault(child_model, []).extend(
            child_model(**{parent: record}, **to_jis_x_0208_values(row)) for row in rows
        )
    return built


def _insert_children(actor, built: dict[type, list], at: dt.datetime | None = None) -> None:
    """Write child rows in bulk, with the history rows the child keeps (who added them)."""
    for child_model, rows in built.items():
        child_model.objects.bulk_create(rows, batch_size=1000)
        if hasattr(child_model, "history"):
            child_model.history.bulk_history_create(
                rows, batch_size=1000, default_user=actor, default_date=at or timezone.now()
            )
    # Bulk history rows send no signal: the stamp is raised here instead.
    change_stamp_bump()


def _copied_children(record: ReviewedRecord, amendment: ReviewedRecord) -> dict:
    """The record's child rows (its `child_lists`) as unsaved copies for the amendment."""
    built: dict[type, list] = {}
    for name in record.child_lists:
        child_model, parent = _child_relation(type(record), name)
        fields = [
            f for f in child_model._meta.concrete_fields if not f.primary_key and f.name != parent
        ]
        built.setdefault(child_model, []).extend(
            child_model(
                **{parent: amendment}, **{f.attname: getattr(child, f.attname) for f in fields}
            )
            for child in getattr(record, name).all()
        )
    return built


def _replace_children(actor, record: ReviewedRecord, children: dict[str, list[dict]]) -> None:
    """Replace each given child list that differs from what is stored. A list that is the
    same is left alone, so the history shows only what changed."""
    for name, rows in children.items():
        rows = [to_jis_x_0208_values(row) for row in rows]
        stored = list(getattr(record, name).all())
        keys = sorted({key for row in rows for key in row})
        old = sorted(_child_values({key: getattr(child, key) for key in keys}) for child in stored)
        if (not rows and not stored) or old == sorted(_child_values(row) for row in rows):
            continue
        # One save's removals and additions share a time, so the history reads them as
        # one change (a row removed and added back unchanged is no change).
        at = timezone.now()
        for child in stored:
            # One by one, so each removal's history row names who removed it.
            child._history_user = actor
            child._history_date = at
            child.delete()
        _insert_children(actor, _build_children(record, {name: rows}), at)


def record_create(
    *,
    actor,
    model: type[ReviewedRecord],
    data: dict[str, Any],
    children: dict[str, list[dict[str, Any]]] | None = None,
    comment: str = "",
) -> ReviewedRecord:
    """Create a draft from data (what a staff form, the admin or a sheet holds): the
    actor must be staff of the business's section, the content must be valid, and the
    draft gets its 作成 transition and one history snapshot with its lists."""
    [record] = record_create_many(
        actor=actor, model=model, entries=[RecordData(data, children or {})], comment=comment
    )
    return record


def record_create_many(
    *, actor, model: type[ReviewedRecord], entries: list[RecordData], comment: str = ""
) -> list[ReviewedRecord]:
    """record_create for many records at once (an imported sheet): the same checks and
    the same audit trail, written in batches of 1,000 rather than row by row."""
    records, lists = [], []
    for entry in entries:
        concrete, many = _split(model, entry)
        record = model(**concrete)
        _check_create(actor, model, getattr(record, "business", None))
        record.state = State.DRAFT
        record.lock_version = 1
        record.amends = None
        validate_loaded(record)
        records.append(record)
        lists.append((many, entry.children))
    with transaction.atomic():
        # The history snapshot is written once the lists are in (see _audit_created).
        model.objects.bulk_create(records, batch_size=1000)
        through_rows: dict[type, list] = {}
        children: dict[type, list] = {}
        for record, (many, child_lists) in zip(records, lists, strict=True):
            for name, values in many.items():
                relation = model._meta.get_field(name)
                through = relation.remote_field.through
                source, target = relation.m2m_field_name(), relation.m2m_reverse_field_name()
                through_rows.setdefault(through, []).extend(
                    through(**{f"{source}_id": record.pk, f"{target}_id": getattr(v, "pk", v)})
                    for v in values
                )
            for child_model, rows in _build_children(record, child_lists).items():
                children.setdefault(child_model, []).extend(rows)
        for through, rows in through_rows.items():
            through.objects.bulk_create(rows, batch_size=1000)
        _insert_children(actor, children)
        _audit_created(actor=actor, model=model, records=records, comment=comment)
    return records


def _audit_created(*, actor, model: type[ReviewedRecord], records: list, comment: str) -> None:
    Transition.objects.bulk_create(
        [
            Transition(
                content_type=ContentType.objects.get_for_model(model),
                object_id=record.pk,
                action=Action.CREATE,
                from_state="",
                to_state=State.DRAFT,
                actor=actor,
                comment=comment,
            )
            for record in records
        ],
        batch_size=1000,
    )
    write_created_snapshots(model, [record.pk for record in records], actor)
    change_stamp_bump()


def record_save(
    *,
    actor,
    record: ReviewedRecord,
    data: dict[str, Any],
    children: dict[str, list[dict[str, Any]]] | None = None,
    loaded_version: int,
) -> ReviewedRecord:
    """Save changes to a draft or returned record, refusing a stale copy.

    The version check and the update happen under a row lock, so of two people who loaded
    the same version only the first save goes through; the second gets EditConflict.
    Fields and lists left out of data keep their values; one history snapshot records
    the save with its lists."""
    concrete, many = _split(type(record), RecordData(data, children or {}))
    with transaction.atomic():
        current = _locked(record)
        if not may_edit(actor, current):
            raise PermissionDenied("この記録票は編集できません。")
        if current.lock_version != loaded_version:
            raise EditConflict(current, loaded_version)
        section_id = current.business.section_id
        for name, value in concrete.items():
            setattr(current, name, value)
        if current.business.section_id != section_id:
            # Moving a record to another section's business needs rights there too.
            _check_create(actor, type(current), current.business)
        validate_loaded(current)
        current.lock_version = loaded_version + 1
        # One history row per save: skip the rows each list change would add, then write
        # a single snapshot with every field and list.
        current.skip_history_when_saving = True
        current._history_user = actor
        try:
            current.save()
            for name, values in many.items():
                getattr(current, name).set(values)
            _replace_children(actor, current, children or {})
        finally:
            del current.skip_history_when_saving
        current.save(update_fields=["lock_version"])
    return current


def record_submit(*, actor, record: ReviewedRecord, comment: str = "") -> ReviewedRecord:
    with transaction.atomic():
        record = _locked(record)
        target = _check(actor, Action.SUBMIT, record)
        record.full_clean()
        # What the record's own rules require before review (Form 5: a complete
        # checklist), each problem named so staff know what to fill in.
        if problems := record.submit_problems():
            raise ValidationError(problems)
        before, record.state = record.state, target
        _step(actor=actor, record=record, action=Action.SUBMIT, before=before, comment=comment)
    return record


def record_return(*, actor, record: ReviewedRecord, comment: str) -> ReviewedRecord:
    if not comment.strip():
        raise ValidationError({"comment": "差戻しの理由を入力してください。"})
    with transaction.atomic():
        record = _locked(record)
        target = _check(actor, Action.RETURN, record)
        before, record.state = record.state, target
        _step(actor=actor, record=record, action=Action.RETURN, before=before, comment=comment)
    return record


def record_approve(
    *,
    actor,
    record: ReviewedRecord,
    category: PreApprovalCategory | None = None,
    answer: Answer | None = None,
    agenda_item: Decision | None = None,
    comment: str = "",
) -> ReviewedRecord:
    """Approve on exactly one basis: a pre-approval category, a council answer, or the
    internal committee's decision on an agenda item that put the record forward
    (reviews.committee.services.agenda_item_decide approves its records this way).
    Another basis is refused while a gate (reviews.workflow.gates) holds the record.

    The basis and what the record cites must agree, or the approval page, the PDF, the
    public register and the annual summary would tell different stories: a record that
    cites nothing of the basis' kind comes to cite it, one that cites another is refused.
    The record's printed content is kept as approved (`approved_content`).

    Approving an amendment ends the version it replaces the day before the new one takes
    effect, so the register never has two versions in force on the same day.

    A record whose model has no council basis (`council_basis = False`) is approved on
    the review alone and refuses a category, an answer or an agenda item."""
    if not type(record).council_basis:
        if [category, answer, agenda_item].count(None) != 3:
            raise ValidationError(
                f"{record._meta.verbose_name}は審査担当の審査で承認します。"
                "事前一括承認基準の類型や答申は選べません。"
            )
    elif [category, answer, agenda_item].count(None) != 2:
        raise ValidationError(
            "承認の根拠として、事前一括承認基準の類型、答申、付議事項の決定のどれか一つを"
            "選んでください。"
        )
    if answer is not None and answer.conclusion == Answer.Conclusion.REJECTED:
        raise ValidationError("不承認の答申を承認の根拠にはできません。")
    if agenda_item is not None and not agenda_item.approves:
        raise ValidationError(
            "承認または条件付き承認と決定した付議事項だけが承認の根拠になります。"
        )
    with transaction.atomic():
        record = _locked(record)
        target = _check(actor, Action.APPROVE, record)
        if agenda_item is None and (held := approval_held(record)):
            raise ValidationError(held)
        if record.amends_id and record.amends.state != State.APPROVED:
            # Found by the invariant test: a retired record must not come back as 変更済み.
            raise WorkflowError(
                f"変更前の記録票が「{record.amends.get_state_display()}」のため、"
                "この変更は承認できません。"
            )
        consultation = answer.consultation if answer else None
        concrete_before = _concrete_values(record)
        # The citation and the approval are one change: one history snapshot for both.
        record.skip_history_when_saving = True
        try:
            record.cite_basis(category=category, consultation=consultation)
        finally:
            del record.skip_history_when_saving
        before, record.state = record.state, target
        if agenda_item is not None and not agenda_item.puts_forward(record):
            raise ValidationError(f"「{agenda_item}」はこの記録を付議していません。")
        record.approval_category = category
        record.approval_answer = answer
        record.approval_consultation = consultation
        record.approval_agenda_item = agenda_item
        record.approved_at = timezone.now()
        content_fields = record.set_approved_content(record.printed_content())
        _step(
            actor=actor,
            record=record,
            action=Action.APPROVE,
            before=before,
            fields=[
                "approval_category",
                "approval_answer",
                "approval_consultation",
                "approval_agenda_item",
                "approved_at",
                *content_fields,
                *_changed_fields(record, concrete_before),
            ],
            comment=comment
            or (f"承認の根拠: {record.approval_basis}" if record.council_basis else ""),
        )
        if record.amends_id:
            _supersede(actor=actor, old=_locked(record.amends), new=record)
        pdfs_store_enqueue(model=type(record), record_ids=[record.pk])
    return record


def _concrete_values(record: ReviewedRecord) -> dict:
    return {f.attname: getattr(record, f.attname) for f in record._meta.concrete_fields}


def _changed_fields(record: ReviewedRecord, before: dict) -> list[str]:
    return [
        f.name
        for f in record._meta.concrete_fields
        if getattr(record, f.attname) != before[f.attname]
    ]


def _keep_approved_content(record: ReviewedRecord) -> list[str]:
    """A record loaded approved (the seed) and never read since has no stored content
    yet: keep what it shows now as what was approved. The fields to save."""
    if record.approved_content is not None:
        return []
    return record.set_approved_content(record.printed_content())


def _supersede(*, actor, old: ReviewedRecord, new: ReviewedRecord) -> None:
    """The old version becomes 変更済み but stays in force until the day before the new
    one takes effect; its displayed status follows its dates (ReviewedRecord.validity)."""
    before = old.state
    old.state = State.AMENDED
    end = max(old.effective_from, new.effective_from - dt.timedelta(days=1))
    if old.effective_until is None or old.effective_until > end:
        old.effective_until = end
    _step(
        actor=actor,
        record=old,
        action=Action.SUPERSEDE,
        before=before,
        fields=["effective_until", *_keep_approved_content(old)],
        comment=f"変更後の記録票（No.{new.pk}）の承認により旧版となりました"
        f"（{wareki.format_date(old.effective_until)}まで効力があります）。",
    )


def record_amend(*, actor, record: ReviewedRecord) -> ReviewedRecord:
    """Start an amendment: a new draft copied from the approved record. The approved
    version stays in force (and unchanged) until the amendment is approved."""
    with transaction.atomic():
        record = _locked(record)
        _check(actor, Action.AMEND, record)
        if record.open_amendments().exists():
            raise WorkflowError("この記録票には作成中の変更があります。そちらを編集してください。")
        many_to_many = {
            f.name: list(getattr(record, f.name).all()) for f in record._meta.many_to_many
        }
        amendment = type(record).objects.get(pk=record.pk)
        amendment.pk = amendment.id = None
        amendment._state.adding = True
        amendment.state = State.DRAFT
        amendment.lock_version = 1
        amendment.amends = record
        amendment.effective_until = None
        amendment.approval_category = amendment.approval_answer = None
        amendment.approval_consultation = None
        amendment.approved_at = None
        amendment.set_approved_content(None)  # a draft shows live data until approved
        # One history snapshot with the lists, as record_create leaves.
        amendment.skip_history_when_saving = True
        try:
            amendment.save()
            for name, values in many_to_many.items():
                getattr(amendment, name).set(values)
        finally:
            del amendment.skip_history_when_saving
        # An amendment starts from what was approved: its child rows too, each with the
        # history row that names who started the amendment.
        _insert_children(actor, _copied_children(record, amendment))
        write_created_snapshots(type(amendment), [amendment.pk], actor)
        _transition(
            actor=actor,
            record=amendment,
            action=Action.AMEND,
            from_state="",
            to_state=State.DRAFT,
            comment=f"承認済みの記録票（No.{record.pk}）の変更として作成しました。",
        )
    return amendment


def record_retire(
    *, actor, record: ReviewedRecord, retired_on: dt.date, comment: str = ""
) -> ReviewedRecord:
    """廃止: the record stops being in force after retired_on. What it shows stays what
    was approved."""
    with transaction.atomic():
        record = _locked(record)
        target = _check(actor, Action.RETIRE, record)
        if record.open_amendments().exists():
            raise WorkflowError(
                "この記録票には作成中の変更があります。変更を差し戻すか承認してから廃止してください。"
            )
        if retired_on < record.effective_from:
            raise ValidationError({"retired_on": "廃止日は効力発生日より後の日付にしてください。"})
        before, record.state = record.state, target
        record.effective_until = retired_on
        _step(
            actor=actor,
            record=record,
            action=Action.RETIRE,
            before=before,
            fields=["effective_until", *_keep_approved_content(record)],
            comment=comment,
        )
    return record


def record_correct(*, actor, record: ReviewedRecord, changes: dict, reason: str) -> ReviewedRecord:
    """訂正: a reviewer fixes a mistake in an approved record (a cited category, a typo).

    The record stays approved; the change, its reason and who made it are kept as a
    transition and one history snapshot, and the approved content is taken again. Only
    `record.correctable_fields` may change, and the approval basis must still agree with
    what the record cites afterwards. `changes` maps field names to values: model
    instances (or pks) for foreign keys, iterables of them for many-to-many fields; the
    approval basis (`approval_category` / `approval_answer`) may be corrected with them."""
    if not reason.strip():
        raise ValidationError({"reason": "訂正の理由を入力してください。"})
    # A record approved on the review alone has no basis to correct.
    basis = set(BASIS_FIELDS) if record.council_basis else set()
    not_allowed = sorted(set(changes) - set(record.correctable_fields) - basis)
    if not_allowed:
        raise ValidationError(f"訂正では変更できない項目です: {'、'.join(not_allowed)}")
    changes = to_jis_x_0208_values(changes)
    with transaction.atomic():
        record = _locked(record)
        target = _check(actor, Action.CORRECT, record)
        old_values = dict(record.form_values())
        many_to_many = {f.name for f in record._meta.many_to_many}
        concrete = [name for name in changes if name not in many_to_many]
        for name in concrete:
            field = record._meta.get_field(name)
            value = changes[name]
            if field.is_relation and value is not None and not isinstance(value, models.Model):
                setattr(record, field.attname, value)
            else:
                setattr(record, name, value)
        _correct_basis(record, changes)
        record.full_clean()
        # The lists and the fields are one correction: one history snapshot, written by
        # the save below once the lists are set.
        record.skip_history_when_saving = True
        try:
            for name in changes.keys() & many_to_many:
                getattr(record, name).set(changes[name])
        finally:
            del record.skip_history_when_saving
        problems = record.basis_problems()
        if problems:
            raise ValidationError(problems)
        content_fields = record.set_approved_content(record.printed_content())
        _save(record, actor, [*content_fields, *concrete, *_basis_fields(changes)])
        changed = [label for label, value in record.form_values() if old_values.get(label) != value]
        _transition(
            actor=actor,
            record=record,
            action=Action.CORRECT,
            from_state=State.APPROVED,
            to_state=target,
            comment=f"訂正した項目: {'、'.join(changed) or 'なし'}\n理由: {reason.strip()}",
        )
        pdfs_store_enqueue(model=type(record), record_ids=[record.pk])
    return record


def _basis_fields(changes: dict) -> list[str]:
    return ["approval_consultation"] if changes.keys() & set(BASIS_FIELDS) else []


def _correct_basis(record: ReviewedRecord, changes: dict) -> None:
    """A corrected basis replaces the other kind: one category or one answer, never both."""
    if changes.get("approval_category") and "approval_answer" not in changes:
        record.approval_answer = None
    if changes.get("approval_answer") and "approval_category" not in changes:
        record.approval_category = None
    if "approval_answer" in changes or "approval_category" in changes:
        record.approval_consultation = (
            record.approval_answer.consultation if record.approval_answer_id else None
        )
        if (record.approval_category_id is None) == (record.approval_answer_id is None):
            raise ValidationError(
                "承認の根拠として、事前一括承認基準の類型か答申のどちらか一つを選んでください。"
            )


def records_fill_approved_content(*, model: type[ReviewedRecord]) -> int:
    """Take the approved content of every register record that has none yet (records
    written by `loaddata`, past the services); call it after loading the seed. Reading
    never takes it: until then such a record shows live data. Returns how many it
    filled."""
    with transaction.atomic():
        # Everything printed_content() reads, in a fixed number of queries for any
        # number of records (a ward's register loaded at once).
        records = list(
            model.objects.with_form_data()
            .select_for_update(of=("self",))
            .filter(state__in=REGISTER_STATES, approved_content__isnull=True)
            .order_by("pk")
        )
        vocabularies = getattr(model, "vocabularies", None)
        options = {"vocabularies": vocabularies()} if vocabularies and records else {}
        for record in records:
            record.set_approved_content(record.printed_content(**options))
        model.objects.bulk_update(records, APPROVED_CONTENT_FIELDS, batch_size=1000)
    return len(records)


def _steps_many(
    *, actor, model: type[ReviewedRecord], record_ids, action: str, take, same=None, comment
):
    """One workflow step for many records at once (a ward's register loaded in one go):
    the rows locked together, each checked as the single step checks it (`take(record)`
    validates it and sets the fields that differ from record to record, returning their
    names; `same` holds the values every record gets), then written in batches with one
    transition and one history snapshot each. A batch tells no listener record by record:
    notices of 10,000 steps would reach nobody's inbox usefully. Returns the records."""
    ids = sorted(set(record_ids))
    same = same or {}
    with transaction.atomic():
        # Everything the checks and printed_content() read, in a fixed number of queries.
        records = list(
            model.objects.with_form_data()
            .select_for_update(of=("self",))
            .filter(pk__in=ids)
            .order_by("pk")
        )
        if len(records) != len(ids):
            raise ValidationError(f"{model._meta.verbose_name}が見つかりません。")
        befores, fields, by_target = [], set(), {}
        for record in records:
            target = _check(actor, action, record)
            befores.append(record.state)
            record.state = target  # before take(): the printed content reads it
            fields.update(take(record))
            for name, value in same.items():
                setattr(record, name, value)
            record.lock_version += 1
            by_target.setdefault(target, []).append(record.pk)
        # What all records share in one UPDATE per target state; only what differs (the
        # approved content) row by row, bulk_update's CASE growing with every field.
        for target, pks in by_target.items():
            model.objects.filter(pk__in=pks).update(
                state=target, lock_version=models.F("lock_version") + 1, **same
            )
        if fields:
            model.objects.bulk_update(records, sorted(fields), batch_size=500)
        content_type = ContentType.objects.get_for_model(model)
        Transition.objects.bulk_create(
            [
                Transition(
                    content_type=content_type,
                    object_id=record.pk,
                    action=action,
                    from_state=before,
                    to_state=record.state,
                    actor=actor,
                    comment=comment,
                )
                for record, before in zip(records, befores, strict=True)
            ],
            batch_size=1000,
        )
        write_created_snapshots(model, ids, actor, history_type="~")
        change_stamp_bump()
        if action == Action.APPROVE:
            # No listener is told, but the approved versions are printed ahead.
            pdfs_store_enqueue(model=model, record_ids=ids)
    return records


def records_submit_many(
    *, actor, model: type[ReviewedRecord], record_ids, comment: str = ""
) -> list[ReviewedRecord]:
    """record_submit for many records at once: the same checks, rights and audit trail."""

    def take(record: ReviewedRecord) -> list[str]:
        validate_loaded(record)
        if problems := record.submit_problems():
            raise ValidationError([f"No.{record.pk}: {problem}" for problem in problems])
        return []

    return _steps_many(
        actor=actor,
        model=model,
        record_ids=record_ids,
        action=Action.SUBMIT,
        take=take,
        comment=comment,
    )


def records_approve_many(
    *,
    actor,
    model: type[ReviewedRecord],
    record_ids,
    category: PreApprovalCategory | None = None,
    comment: str = "",
) -> list[ReviewedRecord]:
    """record_approve for many submitted records on one basis: a pre-approval category,
    or the review alone for a model without a council basis. The same checks, rights,
    approved content and audit trail; amendments are approved one by one
    (record_approve), as each ends the version it replaces."""
    if model.council_basis and category is None:
        raise ValidationError("承認の根拠として、事前一括承認基準の類型を選んでください。")
    if not model.council_basis and category is not None:
        raise ValidationError(
            f"{model._meta.verbose_name}は審査担当の審査で承認します。"
            "事前一括承認基準の類型は選べません。"
        )
    vocabularies = getattr(model, "vocabularies", None)
    options = {"vocabularies": vocabularies()} if vocabularies else {}
    basis = {
        "approval_category": category,
        "approval_answer": None,
        "approval_consultation": None,
        "approval_agenda_item": None,
        "approved_at": timezone.now(),
    }

    def take(record: ReviewedRecord) -> list[str]:
        if record.amends_id:
            raise WorkflowError(f"No.{record.pk} は変更の記録票です。一件ずつ承認してください。")
        if held := approval_held(record):
            raise ValidationError(held)
        concrete_before = _concrete_values(record)
        record.skip_history_when_saving = True
        try:
            record.cite_basis(category=category, consultation=None)
        finally:
            del record.skip_history_when_saving
        for name, value in basis.items():
            setattr(record, name, value)
        content_fields = record.set_approved_content(record.printed_content(**options))
        return [*content_fields, *(set(_changed_fields(record, concrete_before)) - set(basis))]

    return _steps_many(
        actor=actor,
        model=model,
        record_ids=record_ids,
        action=Action.APPROVE,
        take=take,
        same=basis,
        comment=comment or (f"承認の根拠: {category}" if category else ""),
    )
