"""Protection-measure checklists as the wards print them (○ = taken, ー = not needed)."""


def checklist_pages(rows: list[list]) -> list[list[dict]]:
    """[list name, order, text, answer] rows as printed: one page per side (the ward's,
    the contractor's or partner's), on it one group per list, in the rows' order. A
    list's name is "<side>【<kind>】" (e.g. 区が行う情報保護対策【運用上の対策】)."""
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


def checklists(title: str, rows: list[list]) -> list[dict]:
    """The pages of one checklist, each headed by its title."""
    return [{"title": title, "groups": groups} for groups in checklist_pages(rows)]
