"""The review workflow's records: the transition log every reviewed record keeps, and
the base class (ReviewedRecord) that Form 2 and Form 5 records share. An approval's basis
points at the council's records (a category or an answer), never the other way."""

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import migrations, models
from django.utils import timezone

from notation import wareki
from notation.search import fold
from registry.access import visible_sections
from registry.models import InForce, InForceQuerySet
from reviews.council.models import Answer, Consultation, Obligation, PreApprovalCategory
from reviews.workflow.standing import Standing, standing, with_bucket
from reviews.workflow.states import (
    EDITABLE_STATES,
    REGISTER_STATES,
    UNDER_REVIEW_STATES,
    Action,
    State,
)

# What set_approved_content sets.
APPROVED_CONTENT_FIELDS = (
    "approved_content",
    "register_section",
    "register_business",
    "register_parties",
)


# The public register's order within one record type (publication.register).
REGISTER_ORDER = ("register_section", "register_business", "id")


def register_order_index(name: str) -> models.Index:
    """The index a record type on the public register reads a page of it from, in
    register order, without sorting every record in force; drafts stay out of it."""
    return models.Index(
        fields=REGISTER_ORDER, condition=models.Q(state__in=sorted(REGISTER_STATES)), name=name
    )


def register_search_indexes(table: str) -> migrations.RunPython:
    """For a migration: trigram indexes on a record type's folded search columns, so the
    public register's search (`LIKE '%…%'`) reads an index instead of every row. On
    PostgreSQL only (pg_trgm, a trusted extension: the database's owner may add it);
    SQLite, the demo's, scans its few rows."""
    columns = ("register_business", "register_parties")

    def create(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            # Kept when the indexes are dropped: other tables' indexes may use it.
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            for column in columns:
                schema_editor.execute(
                    f'CREATE INDEX IF NOT EXISTS "{table}_{column}_trgm" '
                    f'ON "{table}" USING gin ("{column}" gin_trgm_ops)'
                )

    def drop(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for column in columns:
                schema_editor.execute(f'DROP INDEX IF EXISTS "{table}_{column}_trgm"')

    return migrations.RunPython(create, drop)


def register_parties(content: dict) -> list[str]:
    """Who receives the data in a printed content: Form 2's contractors, Form 5's
    linkage partner."""
    if "contractors" in content:
        return [c["name"] for c in content["contractors"]]
    if "partner" in content:
        return [content["partner"]["name"]]
    return []


class Transition(models.Model):
    """One step of a record's review (提出, 差戻し, 承認…): who, when, and the comment.
    Form 2 and Form 5 records share this table, so the queue reads one history."""

    content_type = models.ForeignKey(
        ContentType, verbose_name="記録の種類", on_delete=models.CASCADE
    )
    object_id = models.PositiveBigIntegerField("記録のID")
    record = GenericForeignKey("content_type", "object_id")
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    from_state = models.CharField("変更前の状態", max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField("変更後の状態", max_length=20, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作者",
        on_delete=models.PROTECT,
        related_name="review_transitions",
    )
    at = models.DateTimeField("日時", default=timezone.now)
    comment = models.TextField("コメント", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "審査の経過"
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.at:%Y-%m-%d %H:%M})"


class ReviewedQuerySet(InForceQuerySet):
    def in_force(self, on=None):
        # A draft's dates mean nothing until it is approved.
        return super().in_force(on).filter(state__in=REGISTER_STATES)

    def visible_to(self, user):
        """Reviewers, clerks and superusers see every section; section staff their own."""
        return visible_sections(self, user, "business__section_id")

    def under_review(self):
        return self.filter(state__in=UNDER_REVIEW_STATES)

    def with_bucket(self, on: dt.date | None = None):
        """Annotated with `bucket`, the state each version counts under on `on`."""
        return with_bucket(self, on or timezone.localdate())

    def in_bucket(self, state: str, on: dt.date | None = None):
        """The versions that count as `state` on `on` (the dashboard's counts, the lists'
        state filter): a superseded version still in force counts as approved."""
        return self.with_bucket(on).filter(bucket=state)


class ReviewedRecord(InForce):
    """The workflow fields a Form 2, Form 5, 電算処理 or 個人情報ファイル record carries, and
    the shared half of the record-type contract (reviews.workflow.contract: `RecordType` and
    its parts by user). The state is changed only by reviews.workflow.services;
    `lock_version` refuses a save made on a stale copy.

    A record type adds its fields and writes what the contract marks "(each type)": here
    those raise NotImplementedError. tests/reviews/workflow/test_record_interface.py
    checks each concrete model against the contract."""

    # What a record type sets (the contract's data members); the defaults suit most.

    # Names of reverse relations (ForeignKey to the record) that belong to its content.
    child_lists: tuple[str, ...] = ()
    # Fields (including many-to-many) that a correction of an approved record may change.
    correctable_fields: tuple[str, ...] = ()
    # Whether approval rests on the council (a pre-approval category or an answer), as
    # under the ward ordinance; a 個人情報ファイル under the national Act is approved by the
    # privacy office's review alone and cites no basis.
    council_basis: bool = True
    # What a PDF's title calls one record (記録票3, ファイル2).
    print_noun: str = "記録票"
    # The relations __str__ reads, for lists that name many records (the dashboard).
    name_related: tuple[str, ...] = ("business",)
    # Whether the public register (publication.register) lists the approved versions.
    on_public_register: bool = True
    # The kind (reviews.committee AgendaItem.Kind) an agenda item puts the record forward
    # as, and the template of its 別紙; empty: the committee does not see this record.
    agenda_kind: str = ""
    agenda_annex_template: str = ""

    state = models.CharField(
        "状態", max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    lock_version = models.PositiveIntegerField("版数（同時編集の検出用）", default=1)
    amends = models.ForeignKey(
        "self",
        verbose_name="変更前の記録票",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
        help_text="変更（改訂）の下書きが、どの承認済みの記録票を置き換えるか",
    )
    approval_category = models.ForeignKey(
        PreApprovalCategory,
        verbose_name="承認の根拠（事前一括承認基準）",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approval_consultation = models.ForeignKey(
        Consultation,
        verbose_name="承認の根拠（諮問）",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approval_answer = models.ForeignKey(
        Answer,
        verbose_name="承認の根拠（答申）",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="答申が登録されていない古い記録では空欄（諮問のみ）",
    )
    # The committee's decision on the agenda item that put the record forward. A field
    # must name its model: by label, as the committee builds on the workflow. Everything
    # else the workflow asks of the committee goes through reviews.workflow.gates.
    approval_agenda_item = models.ForeignKey(
        "reviews.AgendaItem",
        verbose_name="承認の根拠（付議事項の決定）",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField("承認日時", null=True, blank=True)
    # What the form, the PDF and the public register showed when the record was approved
    # (or corrected): later renames of an organisation or a business never reach it.
    approved_content = models.JSONField("承認された記載内容", null=True, blank=True, editable=False)
    # The public register's search and order, taken from approved_content whenever it is
    # (set_approved_content) and folded (notation.search), so the database filters and
    # pages the register at any size without reading every record's content.
    register_section = models.CharField(
        "公開登録簿の所管課", max_length=200, blank=True, editable=False, db_index=True
    )
    register_business = models.CharField(
        "公開登録簿の業務（検索用）", max_length=300, blank=True, editable=False
    )
    register_parties = models.TextField("公開登録簿の相手方（検索用）", blank=True, editable=False)
    transitions = GenericRelation(Transition)

    objects = ReviewedQuerySet.as_manager()

    class Meta:
        abstract = True

    # The workflow (contract.WorkflowRecord): what the services, forms and pages ask.

    def clean(self) -> None:
        super().clean()
        # An amendment replaces its approved version from the day it takes effect; the
        # old version then ends the day before, so the new date must come later.
        if (
            self.amends_id
            and self.effective_from
            and self.effective_from <= self.amends.effective_from
        ):
            raise ValidationError(
                {
                    "effective_from": "変更後の効力発生日は、変更前の記録票の効力発生日"
                    f"（{wareki.format_date(self.amends.effective_from)}）より後にしてください。"
                }
            )

    @property
    def is_in_force(self) -> bool:
        return self.standing().public

    def open_amendments(self):
        """Amendments of this version not yet approved (a draft, under review, returned)."""
        return self.amendments.exclude(state__in=[State.APPROVED, State.AMENDED])

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def is_under_review(self) -> bool:
        return self.state in UNDER_REVIEW_STATES

    @property
    def approval_basis(self) -> str:
        """The basis the record was approved on, as people cite it."""
        if self.approval_category_id:
            return str(self.approval_category)
        if self.approval_agenda_item_id:
            return str(self.approval_agenda_item)
        if self.approval_answer_id:
            return f"{self.approval_answer.consultation} {self.approval_answer}"
        if self.approval_consultation_id:
            return str(self.approval_consultation)
        return ""

    @property
    def section(self):
        return self.business.section

    def cited_consultation_ids(self) -> set[int]:
        """The consultations the record cites (Form 2's 審議会事項, Form 5's 結合年月日)."""
        raise NotImplementedError

    def cited_category_ids(self) -> set[int]:
        """The pre-approval categories the record cites (Form 5 has no place for one)."""
        return set()

    def submit_problems(self) -> list[str]:
        """Why the record cannot be submitted for review yet; empty when it can."""
        raise NotImplementedError

    def form_values(self) -> list[tuple[str, str]]:
        """The form's items as text, label by label, for comparing two versions."""
        raise NotImplementedError

    def obligations(self):
        """Conditions attached to the answers of the consultations this record cites, or
        to the answer it was approved on: they bind the record."""
        consultation_ids = self.cited_consultation_ids()
        if self.approval_answer_id:
            consultation_ids.add(self.approval_answer.consultation_id)
        return Obligation.objects.filter(
            answer__consultation_id__in=consultation_ids
        ).select_related("answer", "owner")

    def cite_basis(
        self, *, category: PreApprovalCategory | None, consultation: Consultation | None
    ) -> None:
        """Make the record cite the basis it is approved on when it cites nothing of that
        kind; raise ValidationError (naming both) when it cites another one."""
        raise NotImplementedError

    def basis_problems(self) -> list[str]:
        """Where the approval basis and what the record cites disagree, in Japanese."""
        raise NotImplementedError

    # How the state and the dates read (contract.WorkflowRecord).

    def validity(self, today: dt.date | None = None) -> str:
        """From when to when the version is in force, in plain Japanese."""
        today = today or timezone.localdate()
        start = wareki.format_date(self.effective_from) if self.effective_from else ""
        end = wareki.format_date(self.effective_until) if self.effective_until else ""
        if self.state not in REGISTER_STATES:
            if self.amends_id:
                return "承認されるまで効力を持ちません（変更前の記録票が効力を持ちます）"
            return "承認されるまで効力を持ちません"
        if self.effective_from > today:
            if end:
                return f"{start}から{end}まで効力を持ちます（承認済み）"
            return f"{start}から効力を持ちます（承認済み）"
        if self.effective_until is None:
            return "現在効力があります"
        if self.effective_until >= today:
            return f"{start}から{end}まで効力があります"
        if self.state == State.RETIRED:
            return f"廃止（{end}まで）"
        return f"{start}から{end}まで効力がありました"

    def standing(self, today: dt.date | None = None) -> Standing:
        """What the version is on `today` (reviews.workflow.standing: the one definition)."""
        return standing(self, today or timezone.localdate())

    def status_label(self, today: dt.date | None = None) -> str:
        """The state as people read it: a superseded or retired version still in force
        reads as approved until its end date."""
        return self.standing(today).label

    @property
    def status_class(self) -> str:
        """CSS class for the status badge: the state the version counts under today."""
        return self.standing().bucket

    # Printing (contract.PrintableRecord): what the forms and their PDFs print.

    def printed_content(self, **options) -> dict:
        """What the form, its PDF and the public register print, from live data.
        `options` are model-specific helpers for batches (read once, passed to each)."""
        raise NotImplementedError

    @property
    def shows_approved_content(self) -> bool:
        """Approved, superseded and retired versions show what was approved."""
        return self.state in REGISTER_STATES

    def set_approved_content(self, content: dict | None) -> list[str]:
        """Keep `content` as what was approved (None: a draft shows live data) with the
        register's search columns taken from it; returns the fields to save."""
        content = content or {}
        self.approved_content = content or None
        self.register_section = content.get("section", "")
        self.register_business = fold(
            f"{content.get('number', '')} {content.get('business_name', '')}"
        )
        # One folded name a line: a search never matches across two names.
        self.register_parties = "\n".join(fold(name) for name in register_parties(content))
        return list(APPROVED_CONTENT_FIELDS)

    def shown_content(self, **options) -> dict:
        """What the record shows and prints, without keeping anything: its approved
        content when it has one, else live data. `options` go to printed_content()."""
        if self.shows_approved_content and self.approved_content is not None:
            return self.approved_content
        return self.printed_content(**options)

    def print_description(self) -> str:
        """The record as a PDF's title names it, after the form's label."""
        business = self.business
        return f"業務登録番号{business.number} {business.name}（{self.print_noun}{self.pk}）"

    def print_mark(self, today: dt.date | None = None) -> str:
        """What every page of the printed form carries so that it is never taken for the
        approved form in force: an approved version not yet ended prints clean."""
        return self.standing(today).mark

    # The internal committee (contract.CommitteeRecord): the agenda packet's 別紙.

    def agenda_annex(self, content: dict) -> dict:
        """The context of the record's 別紙 in an agenda item's packet, from its shown
        content (what was approved, or a draft's live data)."""
        raise NotImplementedError

    def agenda_changed_keys(self, old_content: dict, content: dict) -> set[str]:
        """The 別紙's keys whose printed value differs between two versions' contents."""
        old, new = self.agenda_annex(old_content), self.agenda_annex(content)
        return {key for key, value in new.items() if key in old and old[key] != value}

    def agenda_data_items(self, content: dict) -> list[str]:
        """The personal-data items the packet lists for the record (資料９－２…)."""
        return []

    def agenda_checklists(self, content: dict) -> list[dict]:
        """The record's checklist pages in the packet: [{title, groups}]."""
        return []
