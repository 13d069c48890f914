"""外部委託記録票 (第2号様式) as printed: the template context for each record."""

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from consignments.models import Consignment
from notation import fullwidth, wareki
from printing import kinds
from printing.marks import Checkbox, blank

TEMPLATE = "consignments/form2.html"
BLANK_PERIOD = "　　年　　月　　日から　　年　　月　　日まで"
BLANK_CONSULTATION = "　　年　　月　　日 諮問第　　号"
BLANK_CATEGORY = "事前一括承認基準(　‐　)"
# 文書・図画・フィルム on the first line, 磁気ディスク等・電算処理 on the second, as on paper.
TRANSFER_FORMS_PER_LINE = 3


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _period(content: dict) -> list[Checkbox]:
    fixed = content["period_kind"] == Consignment.PeriodKind.FIXED
    start = _date(content["period_start"])
    end = _date(content["period_end"])
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


def _council(content: dict) -> list[Checkbox]:
    lines = [Checkbox(True, c["printed"]) for c in content["consultations"]] or [
        Checkbox(False, BLANK_CONSULTATION)
    ]
    lines += [Checkbox(True, label) for label in content["categories"]] or [
        Checkbox(False, BLANK_CATEGORY)
    ]
    return lines


def _other(text: str) -> Checkbox:
    """その他(…): ticked iff its text is filled in; an empty pair of brackets otherwise."""
    return Checkbox(bool(text), f"その他({text or blank(12)})")


def _boxes(pairs: list) -> list[Checkbox]:
    return [Checkbox(checked, label) for label, checked in pairs]


def form2_context(pk: int, content: dict, mark: str) -> dict[str, Any]:
    """The template context of one form, from its printed content (what was approved, or
    a draft's live data: `Consignment.printed_content()`)."""
    transfers = _boxes(content["transfer_forms"])
    return {
        "pk": pk,
        "mark": mark,
        "number": fullwidth.business_number(content["number"]),
        "section": content["section"],
        "business_name": content["business_name"],
        "contractor_type": content["contractor_type"],
        "content": content["content"],
        "period": _period(content),
        "council": _council(content),
        "record_kinds": [
            *_boxes(content["record_kinds"]),
            _other(content["record_kinds_other"]),
        ],
        "conditions": [*_boxes(content["conditions"]), _other(content["conditions_other"])],
        "transfer_rows": [
            transfers[i : i + TRANSFER_FORMS_PER_LINE]
            for i in range(0, len(transfers), TRANSFER_FORMS_PER_LINE)
        ]
        + [[_other(content["transfer_forms_other"])]],
        "manager": content["manager"],
    }


def form2_forms(consignments: Iterable[Consignment]) -> Iterator[dict[str, Any]]:
    """Template contexts for records from `Consignment.objects.with_form_data()`: an
    approved, superseded or retired version prints what was approved."""
    consignments = list(consignments)
    vocabularies = Consignment.vocabularies(consignments)
    for consignment in consignments:
        content = consignment.shown_content(vocabularies=vocabularies)
        yield form2_context(consignment.pk, content, consignment.print_mark())


def form2_filename(consignment: Consignment) -> str:
    return f"form2_{consignment.business.number}_{consignment.pk}.pdf"


FORM2 = kinds.PrintableKind(
    name="form2",
    label="外部委託記録票（第2号様式）",
    template_name=TEMPLATE,
    queryset=lambda: Consignment.objects.with_form_data(),
    forms=form2_forms,
    filename=form2_filename,
    describe=Consignment.print_description,
    final=lambda consignment: consignment.shows_approved_content,
)
