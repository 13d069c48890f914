"""The report to the 個人情報保護委員会, item by item as 施行規則第44条第1項 lists them and
the Commission's form asks: shown on the incident page, printed (incidents.pdf) and
exported to Excel so the office can copy each item into the online form."""

import tablib

from incidents.criteria import assess
from incidents.models import Incident
from notation import wareki


def _date(day) -> str:
    return wareki.format_date(day) if day else "不明"


def report_items(incident: Incident) -> list[tuple[str, str]]:
    assessment = assess(incident)
    criteria = "\n".join(f"{c.article}（{c.label}）: {c.reason}" for c in assessment.applies)
    related = [
        ("関係する課", "、".join(str(s) for s in incident.sections())),
        ("業務", "、".join(str(b) for b in incident.businesses.all())),
        ("個人情報ファイル", "、".join(f.name for f in incident.files.all())),
        ("委託先", "、".join(o.name for o in incident.contractors.all())),
    ]
    overview = "\n".join(
        [
            f"発覚日: {_date(incident.discovered_on)}",
            f"発生日: {_date(incident.occurred_on)}",
            f"事態の種別: {incident.kind_display}",
            *(f"{label}: {text}" for label, text in related if text),
            incident.summary,
        ]
    )
    response = incident.response_to_people
    if incident.notified_on:
        response = f"{wareki.format_date(incident.notified_on)} 本人へ通知\n{response}"
    elif incident.notice_impossible_reason:
        response = (
            f"本人へ通知できない理由: {incident.notice_impossible_reason}\n"
            f"代わる措置: {incident.notice_substitute}\n{response}"
        )
    return [
        ("報告対象事態", criteria or "該当なし"),
        ("概要", overview),
        ("漏えい等が発生し、又は発生したおそれがある保有個人情報の項目", incident.items),
        (
            "漏えい等が発生し、又は発生したおそれがある保有個人情報に係る本人の数",
            incident.people_display,
        ),
        ("原因", incident.cause),
        ("二次被害又はそのおそれの有無及びその内容", incident.secondary_damage),
        ("本人への対応の実施状況", response.strip()),
        ("公表の実施状況", incident.publication_note),
        ("再発防止のための措置", incident.measures),
        ("その他参考となる事項", incident.other),
    ]


def report_xlsx(incident: Incident) -> bytes:
    data = tablib.Dataset(headers=["項目", "内容"], title="漏えい等報告")
    for label, text in report_items(incident):
        data.append([label, text])
    return data.export("xlsx")
