"""The report to the 個人情報保護委員会 as a printed document (incidents/report.html)."""

from collections.abc import Iterable, Iterator
from typing import Any

from incidents.models import Incident
from incidents.report import report_items
from notation import wareki
from printing import kinds


def report_forms(incidents: Iterable[Incident]) -> Iterator[dict[str, Any]]:
    for incident in incidents:
        yield {
            "title": f"漏えい等報告（{incident.title}）",
            "section": str(incident.section),
            "discovered_on": wareki.format_date(incident.discovered_on, fullwidth=True),
            "items": [
                (label, [line for line in text.splitlines() if line.strip()])
                for label, text in report_items(incident)
            ],
        }


INCIDENT_REPORT = kinds.PrintableKind(
    name="incident",
    label="漏えい等報告",
    template_name="incidents/report.html",
    queryset=lambda: Incident.objects.select_related("section").prefetch_related(
        "other_sections", "businesses", "files", "contractors"
    ),
    forms=report_forms,
    filename=lambda incident: f"incident_{incident.pk}.pdf",
    describe=lambda incident: f"No.{incident.pk} {incident.title}",
    business_lookup="businesses__number",
    # An incident changes until it is closed: never kept as a stored final PDF.
    final=lambda incident: False,
)
