"""The review workflow's steps for Form 2 and Form 5 records, each in one transaction
with an explicit actor: the step checks who may take it and from which state, locks the
row and writes its Transition row and history."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from printing import wareki
from reviews.council.models import Answer, PreApprovalCategory
from reviews.workflow.models import ReviewedRecord, Transition
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
    return Transition.objects.create(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        comment=comment,
    )


def _save(record: ReviewedRecord, actor, fields: list[str]) -> None:
    record._history_user = actor
    record.lock_version += 1
    record.save(update_fields=[*fields, "lock_version"])


def record_create(*, actor, form) -> ReviewedRecord:
    """Save a new draft from a staff form (form.save() with many-to-many and children)."""
    with transaction.atomic():
        record = form.save(commit=False)
        record.state = State.DRAFT
        record._history_user = actor  # also read by forms that save child rows
        record.save()
        form.save_m2m()
        _transition(
            actor=actor, record=record, action=Action.CREATE, from_state="", to_state=State.DRAFT
        )
    return record


def record_save(*, actor, form, loaded_version: int) -> ReviewedRecord:
    """Save staff edits to a draft or returned record, refusing a stale copy.

    The version check and the update happen under a row lock, so of two people who loaded
    the same version only the first save goes through; the second gets EditConflict."""
    with transaction.atomic():
        current = _locked(form.instance)
        if not may_edit(actor, current):
            raise PermissionDenied("この記録票は編集できません。")
        if current.lock_version != loaded_version:
            raise EditConflict(current, loaded_version)
        record = form.save(commit=False)
        record.state = current.state  # the form never writes the state
        record.lock_version = loaded_version + 1
        # One history row per save: skip the rows each many-to-many change would add,
        # then write a single snapshot with every field and list.
        record.skip_history_when_saving = True
        record._history_user = actor
        try:
            record.save()
            form.save_m2m()
        finally:
            del record.skip_history_when_saving
        record._history_user = actor
        record.save(update_fields=["lock_version"])
    return record


def record_submit(*, actor, record: ReviewedRecord, comment: str = "") -> ReviewedRecord:
    with transaction.atomic():
        record = _locked(record)
        target = _check(actor, Action.SUBMIT, record)
        record.full_clean()
        before, record.state = record.state, target
        _save(record, actor, ["state"])
        _transition(
            actor=actor,
            record=record,
            action=Action.SUBMIT,
            from_state=before,
            to_state=target,
            comment=comment,
        )
    return record


def record_return(*, actor, record: ReviewedRecord, comment: str) -> ReviewedRecord:
    if not comment.strip():
        raise ValidationError({"comment": "差戻しの理由を入力してください。"})
    with transaction.atomic():
        record = _locked(record)
        target = _check(actor, Action.RETURN, record)
        before, record.state = record.state, target
        _save(record, actor, ["state"])
        _transition(
            actor=actor,
            record=record,
            action=Action.RETURN,
            from_state=before,
            to_state=target,
            comment=comment,
        )
    return record


def record_approve(
    *,
    actor,
    record: ReviewedRecord,
    category: PreApprovalCategory | None = None,
    answer: Answer | None = None,
    comment: str = "",
) -> ReviewedRecord:
    """Approve on exactly one basis: a pre-approval category or a council answer.

    The basis and what the record cites must agree, or the approval page, the PDF, the
    public register and the annual summary would tell different stories: a record that
    cites nothing of the basis' kind comes to cite it, one that cites another is refused.
    The record's printed content is kept as approved (`approved_content`).

    Approving an amendment ends the version it replaces the day before the new one takes
    effect, so the register never has two versions in force on the same day."""
    if (category is None) == (answer is None):
        raise ValidationError(
            "承認の根拠として、事前一括承認基準の類型か答申のどちらか一つを選んでください。"
        )
    if answer is not None and answer.conclusion == Answer.Conclusion.REJECTED:
        raise ValidationError("不承認の答申を承認の根拠にはできません。")
    with transaction.atomic():
        record = _locked(record)
        target = _check(actor, Action.APPROVE, record)
        consultation = answer.consultation if answer else None
        concrete_before = _concrete_values(record)
        # The citation and the approval are one change: one history snapshot for both.
        record.skip_history_when_saving = True
        try:
            record.cite_basis(category=category, consultation=consultation)
        finally:
            del record.skip_history_when_saving
        before, record.state = record.state, target
        record.approval_category = category
        record.approval_answer = answer
        record.approval_consultation = consultation
        record.approved_at = timezone.now()
        record.approved_content = record.printed_content()
        _save(
            record,
            actor,
            [
                "state",
                "approval_category",
                "approval_answer",
                "approval_consultation",
                "approved_at",
                "approved_content",
                *_changed_fields(record, concrete_before),
            ],
        )
        _transition(
            actor=actor,
            record=record,
            action=Action.APPROVE,
            from_state=before,
            to_state=target,
            comment=comment or f"承認の根拠: {record.approval_basis}",
        )
        if record.amends_id:
            _supersede(actor=actor, old=_locked(record.amends), new=record)
    return record


def _concrete_values(record: ReviewedRecord) -> dict:
    return {f.attname: getattr(record, f.attname) for f in record._meta.concrete_fields}


def _changed_fields(record: ReviewedRecord, before: dict) -> list[str]:
    return [
        f.name
        for f in record._meta.concrete_fields
        if getattr(record, f.attname) != before[f.attname]
    ]


def _supersede(*, actor, old: ReviewedRecord, new: ReviewedRecord) -> None:
    """The old version becomes 変更済み but stays in force until the day before the new
    one takes effect; its displayed status follows its dates (ReviewedRecord.validity)."""
    before = old.state
    old.state = State.AMENDED
    end = max(old.effective_from, new.effective_from - dt.timedelta(days=1))
    if old.effective_until is None or old.effective_until > end:
        old.effective_until = end
    fields = ["state", "effective_until"]
    if old.approved_content is None:
        # A seed record never read since loading: keep what it showed as approved.
        old.approved_content = old.printed_content()
        fields.append("approved_content")
    _save(old, actor, fields)
    _transition(
        actor=actor,
        record=old,
        action=Action.SUPERSEDE,
        from_state=before,
        to_state=State.AMENDED,
        comment=f"変更後の記録票（No.{new.pk}）の承認により旧版となりました"
        f"（{wareki.format_date(old.effective_until)}まで効力があります）。",
    )


def record_amend(*, actor, record: ReviewedRecord) -> ReviewedRecord:
    """Start an amendment: a new draft copied from the approved record. The approved
    version stays in force (and unchanged) until the amendment is approved."""
    with transaction.atomic():
        record = _locked(record)
        _check(actor, Action.AMEND, record)
        if record.amendments.exclude(state__in=[State.APPROVED, State.AMENDED]).exists():
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
        amendment._history_user = actor
        amendment.save()
        for name, values in many_to_many.items():
            getattr(amendment, name).set(values)
        record.copy_children_to(amendment)
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
        if retired_on < record.effective_from:
            raise ValidationError({"retired_on": "廃止日は効力発生日より後の日付にしてください。"})
        before, record.state = record.state, target
        record.effective_until = retired_on
        fields = ["state", "effective_until"]
        if record.approved_content is None:
            record.approved_content = record.printed_content()
            fields.append("approved_content")
        _save(record, actor, fields)
        _transition(
            actor=actor,
            record=record,
            action=Action.RETIRE,
            from_state=before,
            to_state=target,
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
    not_allowed = sorted(set(changes) - set(record.correctable_fields) - set(BASIS_FIELDS))
    if not_allowed:
        raise ValidationError(f"訂正では変更できない項目です: {'、'.join(not_allowed)}")
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
        record.approved_content = record.printed_content()
        _save(record, actor, ["approved_content", *concrete, *_basis_fields(changes)])
        changed = [label for label, value in record.form_values() if old_values.get(label) != value]
        _transition(
            actor=actor,
            record=record,
            action=Action.CORRECT,
            from_state=State.APPROVED,
            to_state=target,
            comment=f"訂正した項目: {'、'.join(changed) or 'なし'}\n理由: {reason.strip()}",
        )
    return record


def records_printed(*, records: list[ReviewedRecord], **options) -> list[dict]:
    """What each record prints: the approved content for an approved, superseded or
    retired version, live data for a draft. A register record loaded without one (the
    seed, which `loaddata` writes directly) has it taken and kept on its first read, in
    one query for the batch, so later changes to shared data never reach it. `options`
    go to `printed_content()` (e.g. vocabularies read once for a batch)."""
    contents = []
    missing = []
    for record in records:
        if record.shows_approved_content and record.approved_content is not None:
            contents.append(record.approved_content)
            continue
        content = record.printed_content(**options)
        contents.append(content)
        if record.shows_approved_content:
            record.approved_content = content
            missing.append(record)
    if missing:
        model = type(missing[0])
        with transaction.atomic():
            # Only rows still without one: a concurrent first read keeps what it wrote.
            pks = set(
                model.objects.select_for_update()
                .filter(pk__in=[r.pk for r in missing], approved_content__isnull=True)
                .values_list("pk", flat=True)
            )
            model.objects.bulk_update([r for r in missing if r.pk in pks], ["approved_content"])
    return contents


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


def record_printed(*, record: ReviewedRecord) -> dict:
    """What one record prints (see records_printed)."""
    return records_printed(records=[record])[0]


def records_fill_approved_content(*, model: type[ReviewedRecord]) -> int:
    """Take the approved content of every register record that has none yet (records
    written by `loaddata`); call it after loading the seed. Returns how many it filled."""
    records = list(
        model.objects.filter(state__in=REGISTER_STATES, approved_content__isnull=True)
        .select_related("business__section")
        .order_by("pk")
    )
    records_printed(records=records)
    return len(records)
