"""別紙（電算処理） as printed, with its checklist: the template context of each record."""

from collections.abc import Iterable, Iterator
from typing import Any

from printing import kinds
from processing.annex import annex_context
from processing.models import Processing

TEMPLATE = "processing/annex.html"


def processing_forms(records: Iterable[Processing]) -> Iterator[dict[str, Any]]:
    for record in records:
        content = record.shown_content()
        # A draft, a record under review and an old version carry their mark on every
        # page (the 別紙 and its checklists); the approved version in force prints clean.
        yield {"pk": record.pk, "mark": record.print_mark(), **annex_context(content)}


def processing_filename(record: Processing) -> str:
    return f"processing_{record.business.number}_{record.pk}.pdf"


PROCESSING = kinds.PrintableKind(
    name="processing",
    label="電算処理（別紙）",
    template_name=TEMPLATE,
    queryset=lambda: Processing.objects.with_form_data(),
    forms=processing_forms,
    filename=processing_filename,
    describe=Processing.print_description,
    final=lambda record: record.shows_approved_content,
)
