"""The notices the ward sends, laid out after the model forms of the 個人情報保護委員会's
事務対応ガイド (行政機関等編): the ward head as sender, era dates with full-width digits,
the legal basis, and the 教示 (how to object) on every decision."""

from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings

from disclosure.models import DISCLOSING, Decision, DisclosureRequest, Kind, Outcome
from notation import fullwidth, wareki
from printing import kinds

# (title, article) per outcome: what the notice is called and the article it decides on.
DECISION_TITLES: dict[str, tuple[str, str]] = {
    Outcome.FULL: ("保有個人情報の開示をする旨の決定について（通知）", "第82条第1項"),
    Outcome.PARTIAL: ("保有個人情報の部分開示をする旨の決定について（通知）", "第82条第1項"),
    Outcome.REFUSED: ("保有個人情報の開示をしない旨の決定について（通知）", "第82条第2項"),
    Outcome.NEITHER: (
        "保有個人情報の開示をしない旨の決定について（通知）",
        "第81条及び第82条第2項",
    ),
    Outcome.NONEXISTENT: ("保有個人情報の開示をしない旨の決定について（通知）", "第82条第2項"),
    Outcome.CORRECTED: ("保有個人情報の訂正をする旨の決定について（通知）", "第93条第1項"),
    Outcome.PARTLY_CORRECTED: ("保有個人情報の訂正をする旨の決定について（通知）", "第93条第1項"),
    Outcome.NOT_CORRECTED: ("保有個人情報の訂正をしない旨の決定について（通知）", "第93条第2項"),
    Outcome.SUSPENDED: ("保有個人情報の利用停止をする旨の決定について（通知）", "第101条第1項"),
    Outcome.PARTLY_SUSPENDED: (
        "保有個人情報の利用停止をする旨の決定について（通知）",
        "第101条第1項",
    ),
    Outcome.NOT_SUSPENDED: (
        "保有個人情報の利用停止をしない旨の決定について（通知）",
        "第101条第2項",
    ),
}
# The printed name of each notice, as the ward's forms list calls them.
NOTICE_NAMES: dict[str, str] = {
    Outcome.FULL: "開示決定通知書",
    Outcome.PARTIAL: "部分開示決定通知書",
    Outcome.REFUSED: "不開示決定通知書",
    Outcome.NEITHER: "不開示決定通知書",
    Outcome.NONEXISTENT: "不開示決定通知書",
    Outcome.CORRECTED: "訂正決定通知書",
    Outcome.PARTLY_CORRECTED: "訂正決定通知書",
    Outcome.NOT_CORRECTED: "訂正しない旨の決定通知書",
    Outcome.SUSPENDED: "利用停止決定通知書",
    Outcome.PARTLY_SUSPENDED: "利用停止決定通知書",
    Outcome.NOT_SUSPENDED: "利用停止をしない旨の決定通知書",
}
ACT = "個人情報の保護に関する法律（平成15年法律第57号）"


def _date(day) -> str:
    return wareki.format_date(day, fullwidth=True) if day else "　　年　　月　　日"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def instruction() -> list[str]:
    """教示: 行政不服審査法 art. 82 and 行政事件訴訟法 art. 46 ask every decision to say how
    to object and by when."""
    sender, ward = settings.DISCLOSURE_SENDER, settings.PRINT_AUTHOR
    return [
        "この決定に不服がある場合は、行政不服審査法（平成26年法律第68号）の規定により、"
        "この決定があったことを知った日の翌日から起算して３か月以内に、"
        f"{sender}に対して審査請求をすることができます。",
        "また、この決定の取消しを求める訴訟を提起する場合は、行政事件訴訟法"
        "（昭和37年法律第139号）の規定により、この決定があったことを知った日の翌日から"
        f"起算して６か月以内に、{ward}を被告として（訴訟において{ward}を代表する者は"
        f"{sender}となります。）、処分の取消しの訴えを提起することができます。",
    ]


def _header(request: DisclosureRequest, document_number: str, dated) -> dict[str, Any]:
    return {
        "document_number": document_number,
        "date": _date(dated),
        "addressee": f"{request.agent_name or request.requester_name}　様",
        "sender": settings.DISCLOSURE_SENDER,
        "received_on": _date(request.received_on),
        "reference": fullwidth.to_fullwidth_digits(request.reference),
    }


def decision_forms(decisions: Iterable[Decision]) -> Iterator[dict[str, Any]]:
    for decision in decisions:
        request = decision.asked.request
        title, article = DECISION_TITLES[decision.outcome]
        verb = {
            Kind.DISCLOSURE: "開示",
            Kind.CORRECTION: "訂正",
            Kind.SUSPENSION: "利用停止",
        }[Kind(request.kind)]
        items = [("請求に係る保有個人情報の名称等", _lines(request.requested_information))]
        if decision.outcome in DISCLOSING or decision.outcome in (
            Outcome.CORRECTED,
            Outcome.PARTLY_CORRECTED,
            Outcome.SUSPENDED,
            Outcome.PARTLY_SUSPENDED,
        ):
            items.append((f"{verb}する保有個人情報", _lines(decision.disclosed)))
        if decision.reasons.strip():
            label = {
                Outcome.PARTIAL: "不開示とした部分とその理由",
                Outcome.NEITHER: "開示請求に係る保有個人情報の存否を明らかにしない理由",
                Outcome.NONEXISTENT: "開示をしない理由（保有個人情報が存在しない）",
            }.get(decision.outcome, f"{verb}をしない理由")
            items.append((label, [*decision.category_labels, *_lines(decision.reasons)]))
        if decision.outcome in DISCLOSING:
            items.append(
                (
                    "開示の実施の方法等",
                    [
                        f"開示の実施の方法: {request.get_method_display() or '閲覧又は写しの交付'}",
                        "開示の実施を求める場合は、この通知があった日から３０日以内に、"
                        "開示の実施の方法等申出書を提出してください（法第87条第3項）。",
                    ],
                )
            )
        items.append(("担当課", [str(decision.asked.section)]))
        yield _header(request, decision.document_number, decision.decided_on) | {
            "name": NOTICE_NAMES[decision.outcome],
            "title": title,
            "preamble": (
                f"{_date(request.received_on)}付けで請求のありました保有個人情報の{verb}"
                f"（{fullwidth.to_fullwidth_digits(request.reference)}）については、{ACT}"
                f"{article}の規定に基づき、下記のとおり決定しましたので通知します。"
            ),
            "outcome": decision.get_outcome_display(),
            "items": items,
            "instruction": instruction(),
        }


def extension_forms(requests: Iterable[DisclosureRequest]) -> Iterator[dict[str, Any]]:
    for request in requests:
        articles = request.articles
        verb = Kind(request.kind).label.removesuffix("請求")
        if request.special_until:
            title = f"{verb}決定等の期限の特例規定の適用について（通知）"
            article = f"{articles['special']}"
            notified_on = request.special_notified_on
            items = [
                ("請求に係る保有個人情報の名称等", _lines(request.requested_information)),
                (f"{articles['special']}の規定を適用する理由", _lines(request.special_reason)),
                (
                    "残りの保有個人情報について決定をする期限",
                    [_date(request.special_until)],
                ),
            ]
            if request.part_deadline:
                items.insert(
                    2,
                    (
                        "相当の部分について決定をする期限",
                        [_date(request.part_deadline)],
                    ),
                )
            name = "開示決定等期限特例延長通知書"
        else:
            title = f"{verb}決定等の期限の延長について（通知）"
            article = f"{articles['period']}第2項"
            notified_on = request.extension_notified_on
            items = [
                ("請求に係る保有個人情報の名称等", _lines(request.requested_information)),
                (
                    "延長後の期間",
                    [
                        f"{fullwidth.to_fullwidth_digits(str(30 + request.extension_days))}日"
                        f"（{_date(request.deadline)}まで）"
                    ],
                ),
                ("延長の理由", _lines(request.extension_reason)),
            ]
            name = "開示決定等期限延長通知書"
        yield _header(request, "", notified_on) | {
            "name": name,
            "title": title,
            "preamble": (
                f"{_date(request.received_on)}付けで請求のありました保有個人情報の{verb}"
                f"（{fullwidth.to_fullwidth_digits(request.reference)}）については、{ACT}"
                f"{article}の規定に基づき、下記のとおり決定等の期限を延長しますので通知します。"
            ),
            "outcome": "",
            "items": items,
            "instruction": [],
        }


DECISION_NOTICE = kinds.PrintableKind(
    name="disclosure_decision",
    label="開示決定等通知書",
    template_name="disclosure/notice.html",
    queryset=lambda: Decision.objects.select_related("asked__request", "asked__section"),
    forms=decision_forms,
    filename=lambda decision: f"disclosure_decision_{decision.pk}.pdf",
    describe=lambda decision: f"{decision.asked.request.reference} {decision}",
    # The print command's --business picks the decisions of the section keeping it.
    business_lookup="asked__section__businesses__number",
)

EXTENSION_NOTICE = kinds.PrintableKind(
    name="disclosure_extension",
    label="開示決定等期限延長通知書",
    template_name="disclosure/notice.html",
    queryset=lambda: DisclosureRequest.objects.prefetch_related("corrections"),
    forms=extension_forms,
    filename=lambda request: f"disclosure_extension_{request.pk}.pdf",
    describe=lambda request: request.reference,
    business_lookup="asked__section__businesses__number",
)
