"""外部委託記録票 (第2号様式) as printed: the template context for each record."""

from collections.abc import Iterable, Iterator
from typing import Any

from consignments.models import Condition, Consignment, RecordKind, TransferForm
from printing import kinds, notation, wareki
from printing.marks import Checkbox, blank, checkbox_list

TEMPLATE = "consignments/form2.html"
BLANK_PERIOD = "　　年　　月　　日から　　年　　月　　日まで"
BLANK_CONSULTATION = "　　年　　月　　日 諮問第　　号"
BLANK_CATEGORY = "事前一括承認基準(　‐　)"
# 文書・図画・フィルム on the first line, 磁気ディスク等・電算処理 on the second, as on paper.
TRANSFER_FORMS_PER_LINE = 3


def _period(consignment: Consignment) -> list[Checkbox]:
    fixed = consignment.period_kind == Consignment.PeriodKind.FIXED
    start = consignment.period_start
    end = consignment.period_end
    if fixed and start and end:
        fixed_text = (
            f"{wareki.format_date(start, fullwidth=True)}から"
            f"{wareki.format_date(end, fullwidth=True)}まで"
        )
    else:
        fixed_text = BLANK_PERIOD
    ongoing = not fixed and start is not None
    ongoing_text = (
        f"{wareki.format_date(start, fullwidth=True)}以降継続"
        if ongoing
        else "　　年　　月　　日以降継続"
    )
    return [Checkbox(fixed and bool(start and end), fixed_text), Checkbox(ongoing, ongoing_text)]


def _council(consignment: Consignment) -> list[Checkbox]:
    consultations = sorted(
        consignment.consultations.all(), key=lambda c: (c.consulted_on, c.number)
    )
    categories = sorted(consignment.categories.all(), key=lambda c: (c.chapter, c.number))
    lines = [Checkbox(True, c.printed_reference) for c in consultations] or [
        Checkbox(False, BLANK_CONSULTATION)
    ]
    lines += [Checkbox(True, str(c)) for c in categories] or [Checkbox(False, BLANK_CATEGORY)]
    return lines


def _other(text: str) -> Checkbox:
    """その他(…): ticked iff its text is filled in; an empty pair of brackets otherwise."""
    return Checkbox(bool(text), f"その他({text or blank(12)})")


def form2_forms(consignments: Iterable[Consignment]) -> Iterator[dict[str, Any]]:
    """Template contexts for records from `Consignment.objects.with_form_data()`. The
    checkbox vocabularies are read once for the whole batch."""
    record_kinds = list(RecordKind.objects.all())
    conditions = list(Condition.objects.all())
    transfer_forms = list(TransferForm.objects.all())
    for consignment in consignments:
        section = consignment.business.section
        transfers = checkbox_list(transfer_forms, consignment.transfer_forms.all())
        yield {
            "pk": consignment.pk,
            "number": notation.business_number(consignment.business.number),
            "section": f"{section.department} {section.name}",
            "business_name": consignment.business.name,
            "contractor_type": consignment.contractor_type,
            "content": consignment.content,
            "period": _period(consignment),
            "council": _council(consignment),
            "record_kinds": [
                *checkbox_list(record_kinds, consignment.record_kinds.all()),
                _other(consignment.record_kinds_other),
            ],
            "conditions": [
                *checkbox_list(conditions, consignment.conditions.all()),
                _other(consignment.conditions_other),
            ],
            "transfer_rows": [
                transfers[i : i + TRANSFER_FORMS_PER_LINE]
                for i in range(0, len(transfers), TRANSFER_FORMS_PER_LINE)
            ]
            + [[_other(consignment.transfer_forms_other)]],
            "manager": consignment.manager,
        }


def form2_filename(consignment: Consignment) -> str:
    return f"form2_{consignment.business.number}_{consignment.pk}.pdf"


FORM2 = kinds.PrintableKind(
    name="form2",
    label="外部委託記録票（第2号様式）",
    template_name=TEMPLATE,
    queryset=lambda: Consignment.objects.with_form_data(),
    forms=form2_forms,
    filename=form2_filename,
)
