"""電算結合記録票 (第5号様式) as printed: the template context for each record."""

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from linkages.models import Linkage
from notation import fullwidth, wareki
from printing import kinds

TEMPLATE = "linkages/form5.html"
BLANK_MONTH = "　　年　月"
BLANK_COUNCIL = "(審議会　　年　月　日 諮問第　号)"


def _dated(month: str | None, consultation: dict | None) -> str:
    """平成32年１月 (審議会 平成31年１月29日 諮問第５号), or its blank placeholder."""
    month_text = (
        wareki.format_month(dt.date.fromisoformat(month), fullwidth=True) if month else BLANK_MONTH
    )
    council = f"(審議会 {consultation['printed']})" if consultation else BLANK_COUNCIL
    return f"{month_text} {council}"


def form5_context(pk: int, content: dict, mark: str) -> dict[str, Any]:
    """The template context of one form, from its printed content (what was approved, or
    a draft's live data: `Linkage.printed_content()`)."""
    partner = content["partner"]["name"]
    if content["partner_role"]:
        partner += f"（{content['partner_role']}）"
    return {
        "pk": pk,
        "mark": mark,
        "number": fullwidth.business_number(content["number"]),
        "section": content["section"],
        "business_name": content["business_name"],
        "purpose": content["purpose"],
        "linked": _dated(content["linked_on"], content["linked_consultation"]),
        "changed": _dated(content["changed_on"], content["change_consultation"]),
        "partner": partner,
        "partner_address": fullwidth.address(content["partner"]["address"]),
        "provided_items": "、".join(content["provided_items"]),
        "received_items": "、".join(content["received_items"]),
        "manager": content["manager"],
    }


def form5_forms(linkages: Iterable[Linkage]) -> Iterator[dict[str, Any]]:
    """Template contexts for records from `Linkage.objects.with_form_data()`: an approved,
    superseded or retired version prints what was approved."""
    for linkage in linkages:
        yield form5_context(linkage.pk, linkage.shown_content(), linkage.print_mark())


def form5_filename(linkage: Linkage) -> str:
    return f"form5_{linkage.business.number}_{linkage.pk}.pdf"


FORM5 = kinds.PrintableKind(
    name="form5",
    label="電算結合記録票（第5号様式）",
    template_name=TEMPLATE,
    queryset=lambda: Linkage.objects.with_form_data(),
    forms=form5_forms,
    filename=form5_filename,
    describe=Linkage.print_description,
    final=lambda linkage: linkage.shows_approved_content,
)
