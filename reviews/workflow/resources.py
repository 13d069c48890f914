"""The import rules every register of reviewed records (Form 2, Form 5) follows."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection
from django.utils import timezone
from simple_history.models import HistoricalRecords

from registry.resources import (
    RegisterResource,
)
from reviews.workflow.models import Transition
from reviews.workflow.states import EDITABLE_STATES, UNDER_REVIEW_STATES, Action, State

# --- registers of reviewed records (Form 2, Form 5) --------------------------------------

# The history columns a snapshot adds to the record's own, in _write_snapshots() order.
_SNAPSHOT_FIELDS = ("history_date", "history_user", "history_type", "history_change_reason")


class ReviewedRecordResource(RegisterResource):
    """A register whose records go through the review workflow. An import may create
    drafts and change drafts or returned records; a row that would change a record under
    review, approved or retired refuses the file (an identical row is skipped, so an
    exported register imports back unchanged). New records are created as drafts with
    the same audit trail a staff member's 作成 leaves: a Transition row and a history
    snapshot, written in bulk. The state itself is never read from a sheet."""

    def before_import(self, dataset, **kwargs):
        self._file_name = kwargs.get("file_name") or ""
        super().before_import(dataset, **kwargs)

    def get_match_queryset(self):
        # Superseded versions (変更済み（旧版）) are history and never named by a row. Of
        # the others the newest wins: an amendment draft rather than the approved
        # version it will replace (amendments are always created after it).
        return self.get_queryset().exclude(state=State.AMENDED).order_by("pk")

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if refusal := self._workflow_refusal(instance):
            # The record may not be changed at all: its content checks (which compare
            # against the record, e.g. an amendment's dates) would only mislead.
            errors = dict(import_validation_errors or {})
            errors.setdefault(NON_FIELD_ERRORS, []).append(refusal)
            raise ValidationError(errors)
        super().validate_instance(instance, import_validation_errors, validate_unique)

    def _workflow_refusal(self, instance) -> str:
        """Why this row may not create or change its record, or ""."""
        line = f"{self._excel_row}行目"
        business = getattr(instance, "business", None)
        if self.own_section and business is not None and business.section_id != self.own_section.pk:
            return ""  # another section's record: refused as such by validate_instance
        if instance.pk is not None and instance.state not in EDITABLE_STATES:
            if instance.state == State.APPROVED:
                reason, advice = "承認済み", "職員画面で変更（改訂）を開始してください。"
            elif instance.state in UNDER_REVIEW_STATES:
                reason, advice = "審査中", "差し戻されてから取り込んでください。"
            else:
                reason, advice = State(instance.state).label, ""
            return f"{line} {instance}は{reason}のため、取り込みで変更できません。{advice}"
        if self.user is None:
            # Every creation and change names who made it (Transition.actor, history).
            verb = "作成" if instance.pk is None else "変更"
            return (
                f"{line} 取り込む職員が分からないため、{self._meta.model._meta.verbose_name}を"
                f"{verb}できません。管理画面から取り込んでください。"
            )
        return ""

    # Saving ---------------------------------------------------------------------------

    def before_save_instance(self, instance, row, **kwargs):
        instance._history_user = self.user
        if instance.pk is None:
            instance.state = State.DRAFT
            instance.amends = None
            instance.lock_version = 1

    def save_instance(self, instance, is_create, row, **kwargs):
        if is_create:
            super().save_instance(instance, is_create, row, **kwargs)  # in bulk
            return
        # A draft changed by the import is saved like a staff member's save: a new lock
        # version (an edit page opened before the import is refused as stale) and one
        # history snapshot once the lists are written as well (see save_m2m).
        self.before_save_instance(instance, row, **kwargs)
        if self._is_dry_run(kwargs) and not self._is_using_transactions(kwargs):
            return
        # Under a row lock, as reviews.workflow.services.record_save: a save or a workflow step
        # made since the file's records were read refuses the file.
        current = (
            type(instance)
            .objects.select_for_update()
            .filter(pk=instance.pk)
            .values_list("lock_version", flat=True)
            .first()
        )
        if current != instance.lock_version:
            raise ValidationError(
                f"{self._excel_row}行目 {instance}は取り込みの間に他の人が保存しました。"
                "もう一度取り込んでください。"
            )
        instance.lock_version += 1
        instance.skip_history_when_saving = True
        instance.save()
        self.after_save_instance(instance, row, **kwargs)

    def save_m2m(self, instance, row, **kwargs):
        try:
            super().save_m2m(instance, row, **kwargs)
        finally:
            if hasattr(instance, "skip_history_when_saving"):
                del instance.skip_history_when_saving
                instance.save(update_fields=["lock_version"])

    def after_bulk_create(self, instances: list, rows_by_model: dict, *, batch_size=None) -> None:
        """The audit trail of records created in bulk: one 作成 transition and one history
        snapshot (with its lists) per record, as reviews.workflow.services.record_create leaves."""
        model = self._meta.model
        content_type = ContentType.objects.get_for_model(model)
        comment = "取り込みで作成しました。"
        if self._file_name:
            comment = f"取り込み（{self._file_name}）で作成しました。"
        Transition.objects.bulk_create(
            [
                Transition(
                    content_type=content_type,
                    object_id=instance.pk,
                    action=Action.CREATE,
                    from_state="",
                    to_state=State.DRAFT,
                    actor=self.user,
                    comment=comment,
                )
                for instance in instances
            ],
            batch_size=batch_size,
        )
        self._write_snapshots(model, [instance.pk for instance in instances])
        # Child rows with their own history (Form 5 items).
        for child, rows in rows_by_model.items():
            if not child._meta.auto_created and hasattr(child, "history"):
                child.history.bulk_history_create(
                    rows, batch_size=batch_size, default_user=self.user
                )

    def _write_snapshots(self, model, record_ids: list[int]) -> None:
        """The 作成 history snapshot of each new record with its many-to-many lists, as
        simple-history writes it on a single save. Copied inside the database (INSERT …
        SELECT from the record and through tables, 1,000 records a statement): building
        80,000 history objects in Python for a 10,000-row sheet would double the
        import's time."""
        history = model.history.model
        quote = connection.ops.quote_name
        record_id = quote(model._meta.pk.column)
        tracked = [quote(field.column) for field in history.tracked_fields]
        history_columns = [
            *tracked,
            *(quote(history._meta.get_field(name).column) for name in _SNAPSHOT_FIELDS),
        ]
        now = timezone.now()
        user_id = self.user.pk if self.user else None
        for start in range(0, len(record_ids), 1000):
            chunk = record_ids[start : start + 1000]
            ids = ", ".join(["%s"] * len(chunk))
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(history_columns)}) "
                    f"SELECT {', '.join(tracked)}, %s, %s, '+', NULL "
                    f"FROM {quote(model._meta.db_table)} WHERE {record_id} IN ({ids})",
                    [now, user_id, *chunk],
                )
                for field in getattr(history, "_history_m2m_fields", []):
                    through = field.remote_field.through
                    target = HistoricalRecords.m2m_models[field]
                    columns = [quote(f.column) for f in through._meta.fields]
                    source = quote(through._meta.get_field(field.m2m_field_name()).column)
                    cursor.execute(
                        f"INSERT INTO {quote(target._meta.db_table)} "
                        f"({', '.join(columns)}, {quote(target._meta.get_field('history').column)}) "
                        f"SELECT {', '.join('t.' + c for c in columns)}, "
                        f"h.{quote(history._meta.pk.column)} "
                        f"FROM {quote(through._meta.db_table)} t "
                        f"JOIN {quote(history._meta.db_table)} h ON h.{record_id} = t.{source} "
                        f"WHERE h.{record_id} IN ({ids}) AND h.history_type = '+'",
                        chunk,
                    )
