"""別紙（電算処理） as printed, with its checklist: the template context of each record."""

from collections.abc import Iterable, Iterator
from typing import Any

from printing import kinds
from processing.models import Processing, milestone_lines, numbered
from reviews.workflow.services import records_printed

TEMPLATE = "processing/annex.html"
CHECKLIST_TITLE = "３　電算処理にかかる個人情報保護対策チェックリスト"


def checklist_pages(rows: list[list]) -> list[list[dict]]:
    """The printed checklist ([list name, order, text, answer] rows) as the ward prints
    it: one page per side (区 / 委託先), on it one group per list, in the rows' order.
    A list's name is "<side>【<kind>】"."""
    pages: list[list[dict]] = []
    side = None
    for list_name, _order, text, answer in rows:
        if list_name.split("【")[0] != side:
            side = list_name.split("【")[0]
            pages.append([])
        if not pages[-1] or pages[-1][-1]["label"] != list_name:
            pages[-1].append({"label": list_name, "rows": []})
        pages[-1][-1]["rows"].append({"answer": answer, "text": text})
    return pages


def annex_context(pk: int, content: dict, changed: Iterable[str] = ()) -> dict[str, Any]:
    """One 別紙 from the record's printed content (`Processing.printed_content()`);
    `changed` names the fields printed as changed (bold, underlined)."""
    return {
        "pk": pk,
        "subject": content["subject"],
        "section": content["section_name"],
        "business_name": content["business_name"],
        "data_subjects": content["data_subjects"],
        "recorded_items": content["recorded_items"],
        "computer": content["computer"],
        "reason": content["reason"],
        "changes_intro": content["changes_intro"],
        "changes": numbered(content["changes"]),
        "milestones": milestone_lines(content["milestones"]),
        "checklists": [
            {"title": CHECKLIST_TITLE, "groups": groups}
            for groups in checklist_pages(content["checklist"])
        ],
        "changed": set(changed),
    }


def processing_forms(records: Iterable[Processing]) -> Iterator[dict[str, Any]]:
    records = list(records)
    for record, content in zip(records, records_printed(records=records), strict=True):
        yield annex_context(record.pk, content)


def processing_filename(record: Processing) -> str:
    return f"processing_{record.business.number}_{record.pk}.pdf"


PROCESSING = kinds.PrintableKind(
    name="processing",
    label="電算処理（別紙）",
    template_name=TEMPLATE,
    queryset=lambda: Processing.objects.with_form_data(),
    forms=processing_forms,
    filename=processing_filename,
)
