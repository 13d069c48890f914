"""Council workflow steps that touch several rows: numbering consultations, filing
pre-approval reports and the examples they add."""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction

from printing import wareki
from registry.models import Section
from reviews.models import (
    CategoryExample,
    Consultation,
    ConsultationCounter,
    PreApprovalCategory,
    PreApprovalReport,
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
