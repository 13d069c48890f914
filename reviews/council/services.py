"""The council's steps — the only way its records are created and changed.

Every step takes data (never a form) and an actor, checks the actor's role
(registry.access), locks the row it changes, validates, saves, and names the actor in
the record's history, in one transaction. The staff pages, the admin (save_model /
save_formset) and the spreadsheet imports all call these steps.

Who may do what:
- 事務局 (clerks): consultations, meetings, answers, 附帯意見 and their status, categories;
- 審査担当 and 事務局: a category's examples (事例);
- 所管課職員: their own section's pre-approval reports and the reports' items.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from notation import wareki
from registry.access import is_clerk, keeps_examples, may_edit_report
from registry.audited import (
    apply_data,
    apply_many,
    editable_fields,
    locked,
    save_audited,
    save_many_audited,
)
from registry.models import Section
from reviews.council.models import (
    Answer,
    CategoryExample,
    Consultation,
    ConsultationCounter,
    CouncilMeeting,
    Obligation,
    PreApprovalCategory,
    PreApprovalReport,
    ReportItem,
)

CUMULATIVE_SERIES = 0
NUMBER_ATTEMPTS = 3


CLERKS_ONLY = "諮問・審議会開催・答申・附帯意見を登録・変更できるのは事務局です。"
CATEGORIES_CLERKS_ONLY = "事前一括承認基準を登録・変更できるのは事務局です。"
EXAMPLES_REVIEWERS_ONLY = "事例を追加・変更できるのは審査担当または事務局です。"
REPORT_OWN_SECTION_ONLY = "報告を作成・編集できるのは所管課の職員です。"


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# --- consultations (諮問) and their numbers -----------------------------------------


def _numbering_series(fiscal_year: int) -> int:
    if settings.CONSULTATION_NUMBERING == "cumulative":
        return CUMULATIVE_SERIES
    return fiscal_year


def _highest_number(series: int) -> int:
    """The highest number the register already holds in the series: consultations come
    from the seed, from imports and from before the counter existed, not only from it."""
    consultations = Consultation.objects.all()
    if series != CUMULATIVE_SERIES:
        consultations = consultations.filter(fiscal_year=series)
    return consultations.aggregate(highest=Max("number"))["highest"] or 0


def _next_number(series: int) -> int:
    """Lock the series' counter row and advance it past every number in use. The first
    number of a new series creates the row; if two clerks race to create it, the loser
    retries on the row. The lock is held until the consultation is saved, so two clerks
    never get the same number; a failed save rolls the counter back (no gaps)."""
    for _ in range(2):
        try:
            with transaction.atomic():
                ConsultationCounter.objects.get_or_create(series=series)
                break
        except IntegrityError:
            continue
    counter = ConsultationCounter.objects.select_for_update().get(series=series)
    counter.last_number = max(counter.last_number, _highest_number(series)) + 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def consultation_assign_number(*, consultation: Consultation) -> Consultation:
    """Give a new consultation its fiscal year and the next free number of its series
    (a past-dated one the next free number of its own year). Call inside the
    transaction that saves it."""
    consultation.fiscal_year = wareki.fiscal_year(consultation.consulted_on)
    consultation.number = _next_number(_numbering_series(consultation.fiscal_year))
    return consultation


CONSULTATION_FIELDS = ("consulted_on", "document_number", "section", "subject", "summary")


@transaction.atomic
def consultation_create(
    *,
    actor,
    consulted_on: dt.date,
    subject: str,
    section: Section | None = None,
    summary: str = "",
    document_number: str = "",
) -> Consultation:
    """Open a consultation (諮問) with the next number of its fiscal year (or of the
    cumulative series). A number someone else took in the meantime (an import running
    beside the clerk) is skipped, never a server error."""
    _require(is_clerk(actor), CLERKS_ONLY)
    for _ in range(NUMBER_ATTEMPTS):
        consultation = Consultation(
            consulted_on=consulted_on,
            subject=subject,
            section=section,
            summary=summary,
            document_number=document_number,
        )
        consultation_assign_number(consultation=consultation)
        consultation.full_clean(exclude=["fiscal_year", "number"])
        consultation._history_user = actor
        try:
            with transaction.atomic():
                consultation.save()
        except IntegrityError:
            continue
        return consultation
    raise ValidationError("諮問番号を割り当てられませんでした。もう一度保存してください。")


@transaction.atomic
def consultation_update(
    *, actor, consultation: Consultation, data: Mapping[str, Any]
) -> Consultation:
    """Correct a consultation. Its number is the council's and never changes, so the
    date may not move it into another fiscal year (the number belongs to that year)."""
    _require(is_clerk(actor), CLERKS_ONLY)
    consultation = locked(consultation)
    relations = apply_data(consultation, data, CONSULTATION_FIELDS)
    _check_fiscal_year(consultation)
    return save_audited(consultation, actor=actor, relations=relations)


def _check_fiscal_year(consultation: Consultation) -> None:
    year = consultation.fiscal_year
    if wareki.fiscal_year(consultation.consulted_on) != year:
        raise ValidationError(
            {
                "consulted_on": f"諮問第{consultation.number}号は"
                f"{wareki.format_fiscal_year(year)}の番号です。年度の変わる諮問日には"
                "変更できません。"
            }
        )


@transaction.atomic
def consultation_save_many(
    *, actor, rows: Sequence[tuple[Consultation | None, Mapping[str, Any]]]
) -> list[Consultation]:
    """Register past consultations from a file, and correct registered ones: `rows`
    pairs each existing consultation (None for a new one) with its data. A new one keeps
    the council's number as the file gives it (later ones are numbered after it:
    _highest_number); its fiscal year follows from the date."""
    _require(is_clerk(actor), CLERKS_ONLY)
    created, updated = apply_many(
        Consultation, rows, allowed=CONSULTATION_FIELDS, allowed_new=("number",)
    )
    for consultation in created:
        consultation.fiscal_year = wareki.fiscal_year(consultation.consulted_on)
    for consultation in updated:
        _check_fiscal_year(consultation)
    return save_many_audited(
        Consultation, created=created, updated=updated, fields=CONSULTATION_FIELDS, actor=actor
    )


# --- meetings (審議会開催) ---------------------------------------------------------

MEETING_FIELDS = editable_fields(CouncilMeeting)


@transaction.atomic
def meeting_create(*, actor, data: Mapping[str, Any]) -> CouncilMeeting:
    _require(is_clerk(actor), CLERKS_ONLY)
    meeting = CouncilMeeting()
    relations = apply_data(meeting, data, MEETING_FIELDS)
    return save_audited(meeting, actor=actor, relations=relations)


@transaction.atomic
def meeting_update(*, actor, meeting: CouncilMeeting, data: Mapping[str, Any]) -> CouncilMeeting:
    _require(is_clerk(actor), CLERKS_ONLY)
    meeting = locked(meeting)
    relations = apply_data(meeting, data, MEETING_FIELDS)
    return save_audited(meeting, actor=actor, relations=relations)


# --- answers (答申) and their 附帯意見 ------------------------------------------------

ANSWER_FIELDS = editable_fields(Answer, "consultation")


@transaction.atomic
def answer_create(*, actor, consultation: Consultation, data: Mapping[str, Any]) -> Answer:
    _require(is_clerk(actor), CLERKS_ONLY)
    answer = Answer(consultation=locked(consultation))
    apply_data(answer, data, ANSWER_FIELDS)
    return save_audited(answer, actor=actor)


@transaction.atomic
def answer_update(*, actor, answer: Answer, data: Mapping[str, Any]) -> Answer:
    """Correct an answer; which consultation it answers never changes."""
    _require(is_clerk(actor), CLERKS_ONLY)
    answer = locked(answer)
    apply_data(answer, data, ANSWER_FIELDS)
    return save_audited(answer, actor=actor)


OBLIGATION_FIELDS = editable_fields(Obligation, "answer")


@transaction.atomic
def obligation_create(*, actor, answer: Answer, data: Mapping[str, Any]) -> Obligation:
    _require(is_clerk(actor), CLERKS_ONLY)
    obligation = Obligation(answer=answer)
    apply_data(obligation, data, OBLIGATION_FIELDS)
    return save_audited(obligation, actor=actor)


@transaction.atomic
def obligation_update(*, actor, obligation: Obligation, data: Mapping[str, Any]) -> Obligation:
    """Record progress on a 附帯意見 (its status, 対応内容) or correct it. The history
    keeps every status it passed through and who set it."""
    _require(is_clerk(actor), CLERKS_ONLY)
    obligation = locked(obligation)
    apply_data(obligation, data, OBLIGATION_FIELDS)
    return save_audited(obligation, actor=actor)


# --- pre-approval categories and their examples (事例) -------------------------------

CATEGORY_FIELDS = editable_fields(PreApprovalCategory)
EXAMPLE_FIELDS = editable_fields(CategoryExample, "category")


@transaction.atomic
def category_create(*, actor, data: Mapping[str, Any]) -> PreApprovalCategory:
    _require(is_clerk(actor), CATEGORIES_CLERKS_ONLY)
    category = PreApprovalCategory()
    apply_data(category, data, CATEGORY_FIELDS)
    return save_audited(category, actor=actor)


@transaction.atomic
def category_update(
    *, actor, category: PreApprovalCategory, data: Mapping[str, Any]
) -> PreApprovalCategory:
    _require(is_clerk(actor), CATEGORIES_CLERKS_ONLY)
    category = locked(category)
    apply_data(category, data, CATEGORY_FIELDS)
    return save_audited(category, actor=actor)


@transaction.atomic
def category_save_many(
    *, actor, rows: Sequence[tuple[PreApprovalCategory | None, Mapping[str, Any]]]
) -> list[PreApprovalCategory]:
    """The bulk variant of category_create and category_update, for an import: `rows`
    pairs each existing category (None for a new one) with its data."""
    _require(is_clerk(actor), CATEGORIES_CLERKS_ONLY)
    created, updated = apply_many(PreApprovalCategory, rows, allowed=CATEGORY_FIELDS)
    return save_many_audited(
        PreApprovalCategory, created=created, updated=updated, fields=CATEGORY_FIELDS, actor=actor
    )


@transaction.atomic
def example_create(
    *, actor, category: PreApprovalCategory, data: Mapping[str, Any]
) -> CategoryExample:
    _require(keeps_examples(actor), EXAMPLES_REVIEWERS_ONLY)
    example = CategoryExample(category=category)
    apply_data(example, data, EXAMPLE_FIELDS)
    return save_audited(example, actor=actor)


@transaction.atomic
def example_update(*, actor, example: CategoryExample, data: Mapping[str, Any]) -> CategoryExample:
    _require(keeps_examples(actor), EXAMPLES_REVIEWERS_ONLY)
    example = locked(example)
    apply_data(example, data, EXAMPLE_FIELDS)
    return save_audited(example, actor=actor)


@transaction.atomic
def example_save_many(
    *, actor, rows: Sequence[tuple[CategoryExample | None, Mapping[str, Any]]]
) -> list[CategoryExample]:
    """The bulk variant of example_create and example_update, for an import: `rows` pairs
    each existing example (None for a new one, whose data names its category) with its
    data. An example never moves to another category."""
    _require(keeps_examples(actor), EXAMPLES_REVIEWERS_ONLY)
    created, updated = apply_many(
        CategoryExample, rows, allowed=EXAMPLE_FIELDS, allowed_new=("category",)
    )
    return save_many_audited(
        CategoryExample, created=created, updated=updated, fields=EXAMPLE_FIELDS, actor=actor
    )


@transaction.atomic
def example_delete(*, actor, example: CategoryExample) -> None:
    _require(keeps_examples(actor), EXAMPLES_REVIEWERS_ONLY)
    example = locked(example)
    example._history_user = actor
    example.delete()


@transaction.atomic
def report_add_example(
    *, actor, report: PreApprovalReport, category: PreApprovalCategory, text: str, on: dt.date
) -> CategoryExample:
    """事例への追加: the example joins the category from `on`, remembering the report."""
    _require(keeps_examples(actor), EXAMPLES_REVIEWERS_ONLY)
    # Locking the category numbers two examples added at once one after the other.
    category = locked(category)
    return example_create(
        actor=actor,
        category=category,
        data={
            "text": text,
            "order": category.examples.count() + 1,
            "added_on": on,
            "report": report,
        },
    )


@transaction.atomic
def report_item_add_example(*, actor, item: ReportItem, on: dt.date) -> CategoryExample:
    """事例への追加 as a reviewer or clerk takes it: the example the item names joins its
    category, recording the report and the day. Refused twice for the same text."""
    _require(keeps_examples(actor), EXAMPLES_REVIEWERS_ONLY)
    text = item.new_example.strip()
    if item.fits_existing_example or not text:
        raise ValidationError("この項目には追加する事例がありません。")
    if item.category.examples.filter(text=text).exists():
        raise ValidationError(f"「{text}」は既に類型{item.category.number}の事例です。")
    return report_add_example(
        actor=actor, report=item.report, category=item.category, text=text, on=on
    )


# --- pre-approval reports (事前一括承認基準の適用について) --------------------------

REPORT_FIELDS = editable_fields(PreApprovalReport, "section")
ITEM_FIELDS = editable_fields(ReportItem, "report", "position")


@transaction.atomic
def report_save(
    *,
    actor,
    report: PreApprovalReport | None = None,
    section: Section | None = None,
    data: Mapping[str, Any],
    items: list[Mapping[str, Any]],
) -> PreApprovalReport:
    """Create (report=None, for `section`) or change a pre-approval report together with
    its items, all or nothing. `items` is the report's whole list in the order shown:
    an entry with an "id" changes that item, one without adds an item, and items not in
    the list are removed. A report belongs to its section for good: a change naming
    another section is refused."""
    if report is None:
        if section is None:
            raise ValidationError({"section": "所管課を選んでください。"})
        _require(may_edit_report(actor, section.pk), REPORT_OWN_SECTION_ONLY)
        report = PreApprovalReport(section=section)
    else:
        _require(may_edit_report(actor, report.section_id), REPORT_OWN_SECTION_ONLY)
        report = locked(report)
        if section is not None and section.pk != report.section_id:
            raise ValidationError({"section": "報告の所管課は変更できません。"})
    if not items:
        raise ValidationError("項目を少なくとも1件入力してください。")
    apply_data(report, data, REPORT_FIELDS)
    save_audited(report, actor=actor)

    existing = {item.pk: item for item in report.items.select_for_update()}
    kept = set()
    saved = []
    for position, item_data in enumerate(items, start=1):
        item_data = dict(item_data)
        pk = item_data.pop("id", None)
        if pk is not None:
            if pk not in existing:
                raise ValidationError("この報告の項目ではありません。")
            item = existing[pk]
            kept.add(pk)
        else:
            item = ReportItem(report=report)
        apply_data(item, item_data, ITEM_FIELDS)
        item.position = position
        saved.append(item)
    for pk, item in existing.items():
        if pk not in kept:
            item._history_user = actor
            item.delete()
    for item in saved:
        save_audited(item, actor=actor)
    return report
