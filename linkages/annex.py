"""別紙（電子計算機の外部結合関係）: how a linkage prints when an agenda item puts it to
the internal committee, from its printed content (`Linkage.printed_content()`)."""

from typing import Any

from printing.checklists import checklists

CHECKLIST_TITLE = "４　外部結合にかかる個人情報保護対策チェックリスト"


def annex_context(content: dict) -> dict[str, Any]:
    """One 別紙 with its checklist pages. Versions approved before the 別紙's own fields
    existed print them blank."""
    return {
        "subject": content.get("subject", ""),
        # The 別紙 names the section alone (税務課), not its department.
        "section": content.get("section_name") or content["section"].split()[-1],
        "business_name": content["business_name"],
        "data_subjects": content.get("data_subjects", ""),
        "items": "、".join(content["provided_items"] + content["received_items"]),
        "partner": content["partner"]["name"],
        "partner_description": content.get("partner_description", ""),
        "reason": content["purpose"],
        "connection": content.get("connection", ""),
        "period": content.get("period", ""),
        "checklists": checklists(CHECKLIST_TITLE, content["checklist"]),
    }
