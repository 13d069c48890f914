"""The import rules every register of reviewed records (Form 2, Form 5) follows.

An import is one more caller of the workflow services: new rows go through
reviews.workflow.services.record_create_many (the bulk variant of record_create), changed
drafts through record_save, so a sheet passes the same checks (who may create or edit,
which state, valid content) and leaves the same audit trail as a staff member's form."""

import copy

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from import_export.instance_loaders import BaseInstanceLoader

from exchange.resources import Column, TextWidget, normalise_text
from notation.jis import to_jis_x_0208
from registry.access import may_create_in
from registry.resources import SectionRegisterResource
from reviews.workflow import services
from reviews.workflow.states import EDITABLE_STATES, UNDER_REVIEW_STATES, State, may_edit


class StateWidget(TextWidget):
    """The workflow state, exported for the reader and to tell versions apart; an import
    never writes it (the column is read-only)."""

    def render(self, value, obj=None, **kwargs) -> str:
        return State(value).label if value else ""


class RecordNumberWidget(TextWidget):
    """記録番号 as the staff pages show it: 3, No.3 and ３ are read alike."""

    def clean(self, value, row=None, **kwargs) -> int | None:
        text = normalise_text(value).upper().removeprefix("NO.").strip()
        if not text:
            return None
        if not text.isdigit():
            raise ValueError("記録番号は数字で入力してください（例: 3 または No.3）。")
        return int(text)

    def render(self, value, obj=None, **kwargs) -> str:
        return "" if value is None else str(value)


class VersionInstanceLoader(BaseInstanceLoader):
    """Finds the version of a record a row describes. Versions of one record share its
    natural key: the approved version, an amendment draft replacing it, and superseded
    versions (変更済み（旧版）). An exported row carries its 状態, which tells them apart
    (a superseded one by its 効力発生日 as well): a row identical to the version it names
    is that version, and is skipped. Any other row (changed, or without a 状態) names
    the newest version that is not superseded: while an amendment is being drafted, the
    draft, which is where a change can go."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.versions: dict[tuple, list] = {}
        self.by_number: dict[int, object] = {}
        for instance in resource.get_queryset().order_by("pk"):
            self.versions.setdefault(resource.natural_key_of(instance), []).append(instance)
            self.by_number[instance.pk] = instance

    def get_instance(self, row):
        try:
            number = self.resource.number_in(row)
        except ValueError:
            return None  # reported for the cell when the row is imported
        if number is not None:
            return self._by_number(row, number)
        try:
            key = self.resource.natural_key_from_row(row)
        except ValueError:
            return None  # the same error is reported for the cell when the row is imported
        versions = self.versions.get(key, [])
        current = [v for v in versions if v.state != State.AMENDED]
        newest = current[-1] if current else None
        named = self._named(row, versions)
        if named is not None and named is not newest and self._describes(row, named):
            return copy.copy(named)
        # A copy per row: a row refused on one version must not change what the next
        # row naming it is compared with.
        return copy.copy(newest) if newest is not None else None

    def _by_number(self, row, number: int):
        """The version a 記録番号 names, whatever its other cells say (so 委託先業種 or any
        other key cell may be edited): itself when the row is identical to it, otherwise
        the newest version of the same record that is not superseded. None (a number
        that names nothing) is refused in validate_instance, never created."""
        named = self.by_number.get(number)
        if named is None:
            return None
        if self._describes(row, named):
            return copy.copy(named)
        chain = self._chain(named)
        current = [v for v in chain if v.state != State.AMENDED]
        return copy.copy(current[-1] if current else named)

    def _chain(self, version) -> list:
        """Every version of the record `version` is one of, oldest first: amendments
        point at the version they replace (ReviewedRecord.amends)."""
        root = version
        while root.amends_id in self.by_number:
            root = self.by_number[root.amends_id]
        chain, ends = [], {root.pk}
        for candidate in sorted(self.by_number.values(), key=lambda v: v.pk):
            if candidate.pk in ends or candidate.amends_id in ends:
                ends.add(candidate.pk)
                chain.append(candidate)
        return chain

    def _named(self, row, versions: list):
        """The version the row's 状態 names: the one whose 状態 reads the same today (or
        its plain state does, for a file exported before the version ended); among
        several (superseded versions), the one with the row's 効力発生日."""
        label = normalise_text(row.get("状態"))
        same = [
            v
            for v in versions
            if label in (normalise_text(v.status_label()), normalise_text(State(v.state).label))
        ]
        if len(same) > 1:
            try:
                starts = self.resource.fields["effective_from"].clean(row)
            except ValueError:
                return None
            same = [v for v in same if v.effective_from == starts] or same
        return same[-1] if same else None

    def _describes(self, row, version) -> bool:
        return self.resource.describes(row, version)


class ReviewedRecordResource(SectionRegisterResource):
    """A register whose records go through the review workflow. An import may create
    drafts and change drafts or returned records; a row that would change a record under
    review, approved, superseded or retired refuses the file (an identical row is
    skipped, so an exported register imports back unchanged). The state is exported
    read-only and never read into a record."""

    state = Column("state", "状態", StateWidget(), readonly=True)
    # The record's number on the staff pages (No.3): a row that carries it changes that
    # record whatever else was edited in it, 委託先業種 and the other key cells included.
    # Each register lists it first in Meta.fields, as the staff pages lead with No.
    record_number = Column("pk", "記録番号", RecordNumberWidget(), readonly=True)

    class Meta(SectionRegisterResource.Meta):
        instance_loader_class = VersionInstanceLoader

    def dehydrate_state(self, record) -> str:
        # What the version is today (reviews.workflow.standing), as its page reads: a
        # superseded version still in force is 承認済み until its end date.
        return record.status_label()

    def before_import(self, dataset, **kwargs):
        self._file_name = kwargs.get("file_name") or ""
        super().before_import(dataset, **kwargs)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if instance.pk is None and (refusal := self._unknown_number()):
            errors = dict(import_validation_errors or {})
            errors.setdefault("記録番号", []).append(refusal)
            raise ValidationError(errors)
        if refusal := self._workflow_refusal(instance):
            # The record may not be changed at all: its content checks (which compare
            # against the record, e.g. an amendment's dates) would only mislead.
            errors = dict(import_validation_errors or {})
            errors.setdefault(NON_FIELD_ERRORS, []).append(refusal)
            raise ValidationError(errors)
        super().validate_instance(instance, import_validation_errors, validate_unique)

    def describes(self, row, version) -> bool:
        """Whether every content cell of the row reads as the version exports it, and its
        key cells (a Form 5 partner is named by two read-only cells) name it."""
        try:
            if self.natural_key_from_row(row) != self.natural_key_of(version):
                return False
        except (ValueError, ObjectDoesNotExist):
            return False
        for field in self.fields.values():
            if field.readonly or field.column_name not in row:
                continue
            # As the file holds it: a record saved before the JIS X 0208 rule exports
            # ９－２ as ９−２ (exchange.spreadsheets), and is still the same record.
            exported = to_jis_x_0208(str(self.export_field(field, version)))
            # Each cell as its column reads it: text as typed (ＤＸ is not DX), numbers,
            # dates and ticks with their widths folded, as their widgets fold them.
            comparable = getattr(field.widget, "comparable", normalise_text)
            if comparable(exported) != comparable(row[field.column_name]):
                return False
        return True

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # A row that reads as its record exports it is that record unchanged, even where
        # the cell's stored form differs (see describes).
        if (
            not import_validation_errors
            and original is not None
            and original.pk is not None
            and self.describes(row, original)
        ):
            return True
        return super().skip_row(instance, original, row, import_validation_errors)

    def number_in(self, row) -> int | None:
        """The 記録番号 a row names; None for a row without one (a hand-made sheet)."""
        field = self.fields["record_number"]
        return field.clean(row) if field.column_name in row else None

    def _unknown_number(self) -> str:
        """Why a row whose 記録番号 names no record (or is not a number) is refused, ""
        without one: it is never taken as a new record, which would duplicate the one
        it meant."""
        try:
            number = self.number_in(self._current_row)
        except ValueError as error:  # the cell is not a number; Column names it
            return f"{self._excel_row}行目 {error}"
        if number is None:
            return ""
        name = self._meta.model._meta.verbose_name
        return (
            f"{self._excel_row}行目 記録番号「{number}」の{name}はありません。"
            "新しく作る行は記録番号を空けてください。"
        )

    def _workflow_refusal(self, instance) -> str:
        """Why this row may not create or change its record, or "". The same rules the
        services apply (reviews.workflow.states.may_edit, registry.access.may_create_in),
        checked here as well so the preview names the row."""
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
        verb = "作成" if instance.pk is None else "変更"
        name = self._meta.model._meta.verbose_name
        if self.user is None:
            # Every creation and change names who made it (Transition.actor, history).
            return (
                f"{line} 取り込む職員が分からないため、{name}を{verb}できません。"
                "管理画面から取り込んでください。"
            )
        if business is None:
            return ""  # the 業務登録番号 cell is refused as such
        allowed = (
            may_create_in(self.user, business.section_id)
            if instance.pk is None
            else may_edit(self.user, instance)
        )
        if not allowed:
            return f"{line} {business.section}の{name}を{verb}する権限がありません。"
        return ""

    def _check_repeated_key(self, instance, errors: dict) -> None:
        # Versions of one record share a key; two rows naming the same version are what
        # must not happen.
        if instance.pk is None:
            super()._check_repeated_key(instance, errors)
            return
        first = self._rows_by_key.setdefault(("pk", instance.pk), self._excel_row)
        if first != self._excel_row:
            errors.setdefault(NON_FIELD_ERRORS, []).append(
                f"{self._excel_row}行目 {first}行目と同じ記録です。1つの行にまとめてください。"
            )

    # Rows as the services' data ---------------------------------------------------------

    def record_entry(self, instance) -> services.RecordData:
        """The row's content as the services take it: the columns' fields, the lists it
        sets (checkbox columns merged with what the record has), and its child lists."""
        concrete = {f.name for f in self._meta.model._meta.concrete_fields}
        data = {
            field.attribute: getattr(instance, field.attribute)
            for field in self.fields.values()
            if not field.readonly and field.attribute in concrete
        }
        for attribute, value in self._pending_relations(instance):
            if isinstance(value, dict):  # ticks: columns absent from the file keep theirs
                codes = {o.pk for o in getattr(instance, attribute).all()} if instance.pk else set()
                codes |= {code for code, ticked in value.items() if ticked}
                codes -= {code for code, ticked in value.items() if not ticked}
                value = sorted(codes)
            data[attribute] = value
        return services.RecordData(data, self.children_of(instance))

    def children_of(self, instance) -> dict[str, list[dict]]:
        """The child lists a row sets (none unless the register has child columns)."""
        return {}

    # Saving ---------------------------------------------------------------------------

    def save_instance(self, instance, is_create, row, **kwargs):
        if is_create:
            super().save_instance(instance, is_create, row, **kwargs)  # in bulk, below
            return
        self.before_save_instance(instance, row, **kwargs)
        if self._is_dry_run(kwargs) and not self._is_using_transactions(kwargs):
            return
        entry = self.record_entry(instance)
        try:
            # The version the file's records were read at: a save or a workflow step
            # made since refuses the file, as a stale edit page is refused.
            services.record_save(
                actor=self.user,
                record=instance,
                data=entry.data,
                children=entry.children,
                loaded_version=instance.lock_version,
            )
        except services.EditConflict:
            raise ValidationError(
                f"{self._excel_row}行目 {instance}は取り込みの間に他の人が保存しました。"
                "もう一度取り込んでください。"
            ) from None
        except PermissionDenied as error:
            raise ValidationError(f"{self._excel_row}行目 {error}") from None
        self.after_save_instance(instance, row, **kwargs)

    def save_m2m(self, instance, row, **kwargs):
        """The lists went with the record (record_save, record_create_many)."""

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        instances = list(self.create_instances)
        self.create_instances.clear()
        if not instances or not (using_transactions or not dry_run):
            return
        comment = "取り込みで作成しました。"
        if self._file_name:
            comment = f"取り込み（{self._file_name}）で作成しました。"
        try:
            services.record_create_many(
                actor=self.user,
                model=self._meta.model,
                entries=[self.record_entry(instance) for instance in instances],
                comment=comment,
            )
        except (ValidationError, PermissionDenied, ObjectDoesNotExist) as error:
            self.handle_import_error(result, error, raise_errors)
