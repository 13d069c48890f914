"""The council's documents as printed: the pre-approval report (事前一括承認基準の適用に
ついて, laid out like the Nerima report) and the answer (答申, like the Izumi answer)."""

from collections.abc import Iterable, Iterator
from typing import Any

from notation import fullwidth, wareki
from printing import kinds
from reviews.council.models import Answer, PreApprovalCategory, PreApprovalReport
from reviews.figures import report_item_figures

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _circled(position: int) -> str:
    return CIRCLED[position - 1] if 0 < position <= len(CIRCLED) else f"({position})"


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def report_forms(reports: Iterable[PreApprovalReport]) -> Iterator[dict[str, Any]]:
    for report in reports:
        items = list(report.items.all())
        category_ids = {item.category_id for item in items}
        categories = [
            {
                "number": fullwidth.to_fullwidth_digits(str(category.number)),
                "rule": category.rule,
                "examples": [example.text for example in category.examples.all()],
            }
            for category in PreApprovalCategory.objects.filter(pk__in=category_ids)
            .prefetch_related("examples")
            .order_by("chapter", "number")
        ]
        yield {
            "title": report.title,
            "overview": _paragraphs(report.overview),
            "items": [
                {
                    "mark": _circled(position),
                    "name": item.name,
                    "applies_from": fullwidth.to_fullwidth_digits(item.applies_from_display),
                    "reason": fullwidth.to_fullwidth_digits(item.reason),
                    "sent": item.personal_data_sent.strip(),
                    "sent_name": item.personal_data_sent_name.strip(),
                    "received": item.personal_data_received.strip(),
                    "received_name": item.personal_data_received_name.strip(),
                    "contractors": _paragraphs(fullwidth.address(item.contractors)),
                    "example_note": item.example_note.strip(),
                }
                for position, item in enumerate(items, start=1)
            ],
            "protection": _paragraphs(report.protection),
            "attachments": report.attachment_lines,
            "section": f"{report.section.department}{report.section.name}",
            "categories": categories,
            # The appendix (委託構成図): each item's figures, drawn by the apps that
            # registered a provider in reviews.figures.
            "figures": [
                {"mark": _circled(position), "name": item.name, "figures": figures}
                for position, item in enumerate(items, start=1)
                if (figures := report_item_figures(item))
            ],
        }


def answer_forms(answers: Iterable[Answer]) -> Iterator[dict[str, Any]]:
    for answer in answers:
        yield {
            "number": fullwidth.to_fullwidth_digits(str(answer)),
            "answered_on": wareki.format_date(answer.answered_on, fullwidth=True),
            "addressee": answer.addressee,
            "council_name": answer.council_name,
            "chair": answer.chair,
            "title": answer.title or f"{answer.consultation.subject}について（答申）",
            "preamble": answer.preamble,
            "conclusion": _paragraphs(answer.conclusion_text) or [answer.get_conclusion_display()],
            "summary": _paragraphs(answer.summary or answer.consultation.summary),
            "judgement": _paragraphs(answer.judgement),
            "opinion": _paragraphs(answer.opinion),
            "history": [
                (wareki.format_date(day, fullwidth=True), step, details)
                for day, step, details in answer.processing_history()
            ],
        }


REPORT = kinds.PrintableKind(
    name="report",
    label="事前一括承認基準の適用報告",
    template_name="council/report.html",
    queryset=lambda: PreApprovalReport.objects.select_related("section").prefetch_related(
        "items__category"
    ),
    forms=report_forms,
    filename=lambda report: f"report_{report.pk}.pdf",
    describe=lambda report: f"{report}（報告{report.pk}）",
    business_lookup="items__category__consignments__business__number",
)

ANSWER = kinds.PrintableKind(
    name="answer",
    label="答申",
    template_name="council/answer.html",
    queryset=lambda: Answer.objects.select_related("consultation").prefetch_related(
        "consultation__meetings"
    ),
    forms=answer_forms,
    filename=lambda answer: f"answer_{answer.number}_{answer.pk}.pdf",
    describe=lambda answer: f"{answer} {answer.title or answer.consultation.subject}",
    business_lookup="consultation__consignments__business__number",
)
