"""電算結合記録票 (第5号様式) as printed: the template context for each record."""

from collections.abc import Iterable, Iterator
from typing import Any

from linkages.models import Linkage
from printing import kinds, notation, wareki

TEMPLATE = "linkages/form5.html"
BLANK_MONTH = "　　年　月"
BLANK_COUNCIL = "(審議会　　年　月　日 諮問第　号)"


def _dated(month, consultation) -> str:
    """平成32年１月 (審議会 平成31年１月29日 諮問第５号), or its blank placeholder."""
    month_text = wareki.format_month(month, fullwidth=True) if month else BLANK_MONTH
    council = f"(審議会 {consultation.printed_reference})" if consultation else BLANK_COUNCIL
    return f"{month_text} {council}"


def form5_forms(linkages: Iterable[Linkage]) -> Iterator[dict[str, Any]]:
    """Template contexts for records from `Linkage.objects.with_form_data()`."""
    for linkage in linkages:
        section = linkage.business.section
        partner = linkage.partner.name
        if linkage.partner_role:
            partner += f"（{linkage.partner_role}）"
        yield {
            "pk": linkage.pk,
            "number": notation.business_number(linkage.business.number),
            "section": f"{section.department} {section.name}",
            "business_name": linkage.business.name,
            "purpose": linkage.purpose,
            "linked": _dated(linkage.linked_on, linkage.linked_consultation),
            "changed": _dated(linkage.changed_on, linkage.change_consultation),
            "partner": partner,
            "partner_address": notation.address(linkage.partner.address),
            "provided_items": "、".join(item.name for item in linkage.provided_items),
            "received_items": "、".join(item.name for item in linkage.received_items),
            "manager": linkage.manager,
        }


def form5_filename(linkage: Linkage) -> str:
    return f"form5_{linkage.business.number}_{linkage.pk}.pdf"


FORM5 = kinds.PrintableKind(
    name="form5",
    label="電算結合記録票（第5号様式）",
    template_name=TEMPLATE,
    queryset=lambda: Linkage.objects.with_form_data(),
    forms=form5_forms,
    filename=form5_filename,
)
