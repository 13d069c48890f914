"""An agenda item (付議事項) as the committee reads it, laid out like Shinjuku's 資料９:
the cover, 事業の概要, one 別紙 per record it puts forward, the data item lists
(資料９－２…) and the protection-measure checklists. A meeting's packet is its items in
order (`printforms --kind agenda --combined`)."""

from collections.abc import Iterable, Iterator
from typing import Any

from notation import fullwidth
from printing import kinds
from reviews.committee.models import AgendaItem, AgendaRecord
from reviews.figures import records_figures

NUMERALS = "１２３４５６７８９"


def _requests(item: AgendaItem, entries: list[AgendaRecord]) -> list[dict]:
    """付議内容 grouped by kind in the order of the item's kinds: （１）電算処理 …; a kind
    with several records lists them with ・ as the seed does."""
    labels = dict(AgendaItem.Kind.choices)
    groups = []
    for kind in item.kinds:
        requests = [e.request for e in entries if e.record.agenda_kind == kind]
        if requests:
            groups.append({"label": labels[kind], "requests": requests})
    for number, group in enumerate(groups, start=1):
        group["number"] = f"（{fullwidth.to_fullwidth_digits(str(number))}）"
        group["bulleted"] = len(group["requests"]) > 1
    return groups


def _annex(item: AgendaItem, entry: AgendaRecord) -> tuple[dict, dict]:
    """(the 別紙's context, the record's shown content). An amended record marks what
    changed since the version it replaces, which the committee saw (entry.amended_since)."""
    record = entry.record
    content = record.shown_content()
    annex = record.agenda_annex(content)
    annex["template"] = record.agenda_annex_template
    annex["basis_article"] = item.basis_article
    annex["amended_since"] = entry.amended_since
    annex["changed"] = set()
    if entry.list_number and "items" in annex:
        annex["items"] = f"資料{entry.list_number}のとおり"
    if entry.amended_since and record.amends_id:
        old = record.amends.shown_content()
        annex["changed"] = record.agenda_changed_keys(old, content)
    return annex, content


def agenda_context(item: AgendaItem) -> dict[str, Any]:
    entries = list(item.records.all())
    section = item.section
    annexes, lists, checklists = [], [], []
    for entry in entries:
        annex, content = _annex(item, entry)
        annexes.append(annex)
        if entry.list_number:
            lists.append(
                {
                    "number": entry.list_number,
                    "title": entry.list_title,
                    "heading": entry.list_heading,
                    "items": "、".join(entry.record.agenda_data_items(content)),
                }
            )
        # Records answering a checklist alike (the seed's two linkages) share its pages.
        for page in entry.record.agenda_checklists(content):
            if page not in checklists:
                checklists.append(page)
    return {
        "pk": item.pk,
        "material_number": fullwidth.to_fullwidth_digits(item.material_number),
        "subject": item.subject,
        "basis_article": item.basis_article,
        "kinds": item.kinds_display(),
        "section": f"{section.department}{section.name}",
        "project_name": item.project_name,
        "project_section": section.name,
        "purpose": item.purpose,
        "targets": item.targets,
        "summary": item.summary,
        "request_groups": _requests(item, entries),
        "expected_count": item.expected_count,
        "flow_number": item.flow_number,
        # The flow of personal information over the records put forward, drawn by the
        # app that keeps the flows (reviews.figures).
        "figures": records_figures(
            [entry.record for entry in entries], item.flow_title or "個人情報の流れ"
        ),
        "annexes": annexes,
        "lists": lists,
        "checklists": checklists,
    }


def agenda_forms(items: Iterable[AgendaItem]) -> Iterator[dict[str, Any]]:
    for item in items:
        yield agenda_context(item)


def agenda_filename(item: AgendaItem) -> str:
    return f"agenda_{item.meeting_id}_{item.material_number}_{item.pk}.pdf"


AGENDA = kinds.PrintableKind(
    name="agenda",
    label="付議事項（個人情報保護管理運営会議）",
    template_name="committee/agenda.html",
    queryset=lambda: (
        AgendaItem.objects.select_related("meeting", "section")
        .prefetch_related("records__content_type")
        .order_by("meeting__held_on", "meeting_id", "position", "pk")
    ),
    forms=agenda_forms,
    filename=agenda_filename,
    business_lookup="section__businesses__number",
)
