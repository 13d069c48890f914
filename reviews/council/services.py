"""The council's steps: consultation numbers, examples added by pre-approval reports,
and saving reports, each in one transaction with an explicit actor."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from printing import wareki
from registry.access import is_section_staff_of, sees_every_section
from registry.models import Section
from reviews.council.models import (
    CategoryExample,
    Consultation,
    ConsultationCounter,
    PreApprovalCategory,
    PreApprovalReport,
    ReportItem,
)

CUMULATIVE_SERIES = 0


def _numbering_series(fiscal_year: int) -> int:
    if settings.CONSULTATION_NUMBERING == "cumulative":
        return CUMULATIVE_SERIES
    return fiscal_year


def _next_number(series: int) -> int:
    """Lock the series' counter row and advance it. The first number of a new series
    creates the row; if two clerks race to create it, the loser retries on the row."""
    for _ in range(2):
        try:
            with transaction.atomic():
                counter, _ = ConsultationCounter.objects.select_for_update().get_or_create(
                    series=series
                )
                break
        except IntegrityError:
            continue
    counter = ConsultationCounter.objects.select_for_update().get(series=series)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def consultation_assign_number(*, consultation: Consultation) -> Consultation:
    """Give a new consultation its fiscal year and the next number of its series. Call
    inside the transaction that saves it, so a failed save gives the number back."""
    consultation.fiscal_year = wareki.fiscal_year(consultation.consulted_on)
    consultation.number = _next_number(_numbering_series(consultation.fiscal_year))
    return consultation


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
    cumulative series). Numbers have no gaps: a failed save rolls the counter back."""
    consultation = Consultation(
        consulted_on=consulted_on,
        subject=subject,
        section=section,
        summary=summary,
        document_number=document_number,
    )
    consultation_assign_number(consultation=consultation)
    consultation.full_clean()
    consultation.save()
    return consultation


@transaction.atomic
def report_add_example(
    *, actor, report: PreApprovalReport, category: PreApprovalCategory, text: str, on: dt.date
) -> CategoryExample:
    """事例への追加: the example joins the category from `on`, remembering the report."""
    position = category.examples.count() + 1
    example = CategoryExample(
        category=category, text=text, order=position, added_on=on, report=report
    )
    example.full_clean()
    example.save()
    return example


@transaction.atomic
def report_save(*, actor, form, items) -> PreApprovalReport:
    """Save a pre-approval report and its items together (form and inline formset, both
    already valid): items are numbered in the order shown, deleted ones removed. Any
    failure rolls back the whole report, so nothing is half-saved."""
    if not (actor.is_superuser or is_section_staff_of(actor, form.instance.section_id)):
        raise PermissionDenied("報告を作成・編集できるのは所管課の職員です。")
    report = form.save()
    position = 0
    for item_form in items.forms:
        if item_form in items.deleted_forms:
            if item_form.instance.pk:
                item_form.instance.delete()
            continue
        if item_form.instance.pk is None and not item_form.has_changed():
            continue  # the blank row left for a new item
        item = item_form.save(commit=False)
        position += 1
        item.report = report
        item.position = position
        item.full_clean()
        item.save()
    return report


@transaction.atomic
def report_item_add_example(*, actor, item: ReportItem, on: dt.date) -> CategoryExample:
    """事例への追加 as a reviewer or clerk takes it: the example the item names joins its
    category, recording the report and the day. Refused twice for the same text."""
    if not sees_every_section(actor):
        raise PermissionDenied("事例を追加できるのは審査担当または事務局です。")
    text = item.new_example.strip()
    if item.fits_existing_example or not text:
        raise ValidationError("この項目には追加する事例がありません。")
    if item.category.examples.filter(text=text).exists():
        raise ValidationError(f"「{text}」は既に類型{item.category.number}の事例です。")
    return report_add_example(
        actor=actor, report=item.report, category=item.category, text=text, on=on
    )
