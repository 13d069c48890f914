"""別紙（電算処理） as printed: the numbered list, the milestones and the template context,
from a record's printed content (`Processing.printed_content()`)."""

import datetime as dt
from typing import Any

from notation import fullwidth, wareki
from printing.checklists import checklists

CHECKLIST_TITLE = "３　電算処理にかかる個人情報保護対策チェックリスト"


def numbered(texts: list[str]) -> list[str]:
    """１ …, ２ … as the 別紙 numbers its list (full-width digits)."""
    return [f"{fullwidth.to_fullwidth_digits(str(n))}　{text}" for n, text in enumerate(texts, 1)]


def milestone_lines(milestones: list[list]) -> list[str]:
    """令和６年７月（予定）　開発, one per [month, planned, label]."""
    lines = []
    for on, planned, label in milestones:
        when = wareki.format_month(dt.date.fromisoformat(on), fullwidth=True)
        lines.append(f"{when}{'（予定）' if planned else ''}　{label}")
    return lines


def annex_context(content: dict) -> dict[str, Any]:
    """One 別紙 with its checklist pages."""
    return {
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
        "checklists": checklists(CHECKLIST_TITLE, content["checklist"]),
    }
