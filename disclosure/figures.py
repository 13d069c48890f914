"""The yearly numbers the office reports (施行状況調査, the council's yearly report): per
fiscal year, requests by kind, decisions by outcome and section, decided within or after
the deadline, extensions, objections and their rulings. Purged requests count through
their purge records."""

import io
from collections import Counter
from dataclasses import dataclass, field

from openpyxl import Workbook

from disclosure.models import Decision, DisclosureRequest, Kind, Objection, Outcome, Purge


@dataclass
class YearFigures:
    fiscal_year: int
    requests: Counter = field(default_factory=Counter)  # kind label → count
    outcomes: Counter = field(default_factory=Counter)  # (kind label, outcome label) → count
    sections: Counter = field(default_factory=Counter)  # section name → decisions
    within: int = 0
    late: int = 0
    extended: int = 0
    special: int = 0
    objections: Counter = field(default_factory=Counter)  # ruling label → count

    def rows(self) -> list[tuple[str, str, int]]:
        """(group, item, count), the table and the sheet alike."""
        rows = [("請求件数", kind, n) for kind, n in sorted(self.requests.items())]
        rows += [("決定", f"{k}・{o}", n) for (k, o), n in sorted(self.outcomes.items())]
        rows += [("所管課別の決定", s, n) for s, n in sorted(self.sections.items())]
        rows += [
            ("期限", "期限内に決定", self.within),
            ("期限", "期限後に決定", self.late),
            ("期限", "延長（第83条第2項等）", self.extended),
            ("期限", "特例（第84条等）", self.special),
        ]
        rows += [("審査請求", ruling, n) for ruling, n in sorted(self.objections.items())]
        return rows


BAR_HEIGHT = 24
BAR_MAX = 300


def decision_bars(figures: YearFigures) -> dict:
    """The decisions as a bar chart (SVG coordinates), one bar per kind and outcome."""
    rows = sorted(figures.outcomes.items())
    top = max((n for _, n in rows), default=0) or 1
    bars = [
        {
            "label": f"{kind}・{outcome}",
            "count": n,
            "y": i * BAR_HEIGHT,
            "text_y": i * BAR_HEIGHT + 16,
            "width": round(BAR_MAX * n / top),
            "end": 250 + round(BAR_MAX * n / top),
        }
        for i, ((kind, outcome), n) in enumerate(rows)
    ]
    return {"bars": bars, "height": max(len(bars), 1) * BAR_HEIGHT}


def year_figures(fiscal_year: int) -> YearFigures:
    figures = YearFigures(fiscal_year)
    requests = DisclosureRequest.objects.in_fiscal_year(fiscal_year).prefetch_related("corrections")
    by_pk = {}
    for request in requests:
        by_pk[request.pk] = request
        figures.requests[request.get_kind_display()] += 1
        figures.extended += bool(request.extension_days)
        figures.special += bool(request.special_until)
    decisions = Decision.objects.filter(asked__request__fiscal_year=fiscal_year).select_related(
        "asked__section"
    )
    for decision in decisions:
        request = by_pk[decision.asked.request_id]
        figures.outcomes[(request.get_kind_display(), decision.get_outcome_display())] += 1
        figures.sections[str(decision.asked.section)] += 1
        if decision.decided_on <= request.deadline:
            figures.within += 1
        else:
            figures.late += 1
    for objection in Objection.objects.filter(decision__asked__request__fiscal_year=fiscal_year):
        figures.objections[objection.get_result_display()] += 1
    for purge in Purge.objects.filter(fiscal_year=fiscal_year):
        figures.requests[Kind(purge.kind).label] += purge.requests
        kind = Kind(purge.kind).label
        for outcome, n in purge.decisions.items():
            figures.outcomes[(kind, Outcome(outcome).label)] += n
    return figures


def figures_workbook(figures: YearFigures, title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "開示請求等"
    sheet.append([title])
    sheet.append(["区分", "項目", "件数"])
    for row in figures.rows():
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
