"""A fiscal year's incidents counted by contractor, section and kind, for the annual
summary (one incident with two contractors counts once for each)."""

from collections import Counter
from dataclasses import dataclass

from incidents.models import Incident
from notation import wareki
from publication.summary import fiscal_year_bounds


@dataclass
class IncidentSummary:
    fiscal_year: int
    total: int
    by_kind: list[tuple[str, int]]
    by_section: list[tuple[str, int]]
    by_contractor: list[tuple[str, int]]

    @property
    def tables(self) -> list[tuple[str, list[tuple[str, int]]]]:
        return [
            ("事態の種別", self.by_kind),
            ("所管課・関係課", self.by_section),
            ("委託先", self.by_contractor),
        ]

    @property
    def title(self) -> str:
        return f"{wareki.format_fiscal_year(self.fiscal_year)} 漏えい等事案の状況"


def _sorted(counts: Counter) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))


def incident_summary(year: int) -> IncidentSummary:
    first, last = fiscal_year_bounds(year)
    incidents = list(
        Incident.objects.discovered_between(first, last)
        .select_related("section")
        .prefetch_related("contractors", "other_sections")
    )
    by_kind, by_section, by_contractor = Counter(), Counter(), Counter()
    for incident in incidents:
        by_kind[incident.kind_display] += 1
        for section in {str(s) for s in incident.sections()}:
            by_section[section] += 1
        for contractor in incident.contractors.all():
            by_contractor[contractor.name] += 1
        if not incident.contractors.all():
            by_contractor["（委託先なし）"] += 1
    return IncidentSummary(
        year, len(incidents), _sorted(by_kind), _sorted(by_section), _sorted(by_contractor)
    )


def annual_summary_part(year: int) -> tuple[str, dict]:
    """The incidents' tables in the annual summary (publication.summary)."""
    return "incidents/_annual_part.html", {"summary": incident_summary(year)}
