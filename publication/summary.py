"""The annual summary for the council: how many records took effect (new), replaced an
earlier version (amended) or were retired in a fiscal year, by pre-approval category and
by consultation."""

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q

from consignments.models import Consignment
from linkages.models import Linkage
from notation import wareki
from reviews.workflow.standing import standing
from reviews.workflow.states import REGISTER_STATES, State

NEW, AMENDED, RETIRED = "new", "amended", "retired"

# Apps above publication add tables of their own to the summary (incidents: counts by
# contractor, section and kind), filled by config.wiring:
# part(fiscal_year) -> (template name, its context).
SummaryPart = Callable[[int], tuple[str, dict]]
_parts: list[SummaryPart] = []


def register_part(part: SummaryPart) -> None:
    if part not in _parts:
        _parts.append(part)


def summary_parts(year: int) -> list[tuple[str, dict]]:
    return [part(year) for part in _parts]


KINDS = ((NEW, "新規"), (AMENDED, "変更"), (RETIRED, "廃止"))


@dataclass
class Row:
    label: str
    counts: Counter

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def cells(self) -> list[int]:
        return [self.counts[kind] for kind, _ in KINDS]


@dataclass
class Summary:
    fiscal_year: int
    by_category: list[Row]
    by_consultation: list[Row]
    totals: Counter

    @property
    def title(self) -> str:
        return f"{wareki.format_fiscal_year(self.fiscal_year)} 外部委託・電算結合の状況"

    @property
    def max_count(self) -> int:
        return max([row.total for row in self.by_category + self.by_consultation] + [1])


def fiscal_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)


def _events(record, first: dt.date, last: dt.date) -> list[str]:
    events = []
    if first <= record.effective_from <= last:
        events.append(AMENDED if record.amends_id else NEW)
    # Retired in the year: the version stops reading as approved in it
    # (reviews.workflow.standing, as the pages and the public register read it).
    day_after = last + dt.timedelta(days=1)
    if (
        standing(record, first).bucket != State.RETIRED
        and standing(record, day_after).bucket == State.RETIRED
    ):
        events.append(RETIRED)
    return events


def _in_year(model, first: dt.date, last: dt.date) -> list:
    """The register's versions that may have an event in the year: those that took
    effect or ended in it (_events tells which); the others count nowhere. Each counts
    under its approved content, kept on the row: only a version still without one (the
    seed before records_fill_approved_content) is read with everything it prints."""
    records = list(
        model.objects.filter(state__in=REGISTER_STATES).filter(
            Q(effective_from__range=(first, last)) | Q(effective_until__range=(first, last))
        )
    )
    lacking = [r.pk for r in records if r.approved_content is None]
    if lacking:
        complete = {r.pk: r for r in model.objects.with_form_data().filter(pk__in=lacking)}
        records = [complete.get(r.pk, r) for r in records]
    return records


def annual_summary(year: int) -> Summary:
    first, last = fiscal_year_bounds(year)
    by_category: dict[str, Counter] = {}
    by_consultation: dict[str, Counter] = {}
    totals: Counter = Counter()

    # Counted under what each record cites as approved (its approved content), the same
    # references its approval, its PDF and the public register show.
    consignments = _in_year(Consignment, first, last)
    vocabularies = Consignment.vocabularies(consignments)
    for record in consignments:
        content = record.shown_content(vocabularies=vocabularies)
        events = _events(record, first, last)
        totals.update(events)
        for label in content["categories"]:
            by_category.setdefault(label, Counter()).update(events)
        for consultation in content["consultations"]:
            by_consultation.setdefault(consultation["label"], Counter()).update(events)

    linkages = _in_year(Linkage, first, last)
    for record in linkages:
        content = record.shown_content()
        events = _events(record, first, last)
        totals.update(events)
        cited = [content["linked_consultation"], content["change_consultation"]]
        for label in {c["label"] for c in cited if c}:
            by_consultation.setdefault(label, Counter()).update(events)

    def rows(groups: dict[str, Counter]) -> list[Row]:
        return [Row(label, counts) for label, counts in sorted(groups.items()) if counts]

    return Summary(year, rows(by_category), rows(by_consultation), totals)
