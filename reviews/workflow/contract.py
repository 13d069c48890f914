"""The record-type contract: what a reviewed record type (Form 2 `Consignment`, Form 5
`Linkage`, 電算処理 `Processing`, 個人情報ファイル `PersonalInfoFile`) provides, grouped by
the parts that rely on it.

`reviews.workflow.models.ReviewedRecord` implements most of it once; a record type adds
its fields and writes the members marked "(each type)".
tests/reviews/workflow/test_record_interface.py checks every ReviewedRecord model
against these Protocols, by name and by signature.

It lives beside the workflow because the workflow is the lowest layer that knows record
types (printing imports no app), and every part that relies on the contract (the record
apps' PDFs, publication, the committee) already builds on reviews.workflow.
"""

import datetime as dt
from typing import Any, Protocol, runtime_checkable

from django.db.models import QuerySet

from registry.models import Business, Section
from reviews.council.models import Consultation, PreApprovalCategory


@runtime_checkable
class WorkflowRecord(Protocol):
    """What the workflow's services, forms, admin and staff pages ask of a record."""

    business: Business
    """The 業務 the record belongs to (each type: a ForeignKey to registry.Business)."""
    state: str
    """The review state (reviews.workflow.states.State), changed only by the services."""
    child_lists: tuple[str, ...]
    """Reverse relations whose rows are part of the content; record_amend copies them."""
    correctable_fields: tuple[str, ...]
    """The fields a reviewer's 訂正 of an approved record may change (each type)."""
    council_basis: bool
    """Whether approval needs a council basis; False: approved on the review alone."""

    @property
    def section(self) -> Section:
        """The owning section, the business's: access rules filter on it."""

    @property
    def is_editable(self) -> bool:
        """Whether section staff may still edit it (a draft or returned record)."""

    @property
    def is_under_review(self) -> bool:
        """Whether it waits for a reviewer (submitted or resubmitted)."""

    @property
    def is_in_force(self) -> bool:
        """Whether it is an approved version in force today."""

    @property
    def approval_basis(self) -> str:
        """The basis it was approved on, as people cite it ("" before approval)."""

    @property
    def status_class(self) -> str:
        """The CSS class of its status badge."""

    def open_amendments(self) -> QuerySet:
        """Amendments of this version not yet approved."""

    def obligations(self) -> QuerySet:
        """The council's conditions that bind the record."""

    def cited_consultation_ids(self) -> set[int]:
        """The consultations the record cites (each type)."""

    def cited_category_ids(self) -> set[int]:
        """The pre-approval categories the record cites (Form 2 only)."""

    def submit_problems(self) -> list[str]:
        """Why it cannot be submitted yet, in Japanese; empty when it can (each type)."""

    def form_values(self) -> list[tuple[str, str]]:
        """The form's items as (label, text), for comparing versions (each type)."""

    def cite_basis(
        self, *, category: PreApprovalCategory | None, consultation: Consultation | None
    ) -> None:
        """Cite the approval basis, or raise ValidationError if it cites another (each type)."""

    def basis_problems(self) -> list[str]:
        """Where the approval basis and what the record cites disagree (each type)."""

    def validity(self, today: dt.date | None = None) -> str:
        """From when to when the version is in force, in plain Japanese."""

    def status_label(self, today: dt.date | None = None) -> str:
        """The state as people read it, from the state and the dates."""


@runtime_checkable
class PrintableRecord(Protocol):
    """What the record apps' printable kinds (pdf.py) and the form pages ask of a record."""

    print_noun: str
    """What a PDF's title calls one record (記録票3, ファイル2)."""

    @property
    def shows_approved_content(self) -> bool:
        """Whether it shows what was approved rather than live data."""

    def printed_content(self, **options: Any) -> dict:
        """What the form prints, from live data, JSON-ready (each type)."""

    def shown_content(self, **options) -> dict:
        """What it shows and prints now: the approved content, or live data for a draft."""

    def print_description(self) -> str:
        """The record as a PDF's title names it, after the form's label."""

    def print_mark(self, today: dt.date | None = None) -> str:
        """The mark on every printed page of a version that is not the approved one in
        force (or approved, not yet in force) on `today`."""


@runtime_checkable
class PublicRecord(Protocol):
    """What the public register (publication) asks of a record."""

    on_public_register: bool
    """Whether the public register lists its approved versions."""
    approved_content: dict | None
    """What it printed when approved or corrected: what the register shows."""


@runtime_checkable
class CommitteeRecord(Protocol):
    """What the internal committee's agenda packet (reviews.committee) asks of a record."""

    agenda_kind: str
    """The agenda item kind it is put forward as; "": the committee does not see it."""
    agenda_annex_template: str
    """The template of its 別紙 in the packet (each type the committee sees)."""

    def agenda_annex(self, content: dict) -> dict:
        """The 別紙's context from a shown content (each type the committee sees)."""

    def agenda_changed_keys(self, old_content: dict, content: dict) -> set[str]:
        """The 別紙's keys whose printed value differs between two versions."""

    def agenda_data_items(self, content: dict) -> list[str]:
        """The personal-data items the packet lists for the record."""

    def agenda_checklists(self, content: dict) -> list[dict]:
        """Its checklist pages in the packet (each type the committee sees)."""


@runtime_checkable
class RecordType(WorkflowRecord, PrintableRecord, PublicRecord, CommitteeRecord, Protocol):
    """Everything a reviewed record type provides."""
