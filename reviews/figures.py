"""Figures other apps draw for the reviews app's documents and record pages.

It serves all three parts (the council's report, the workflow's record pages, the
committee's agenda) and imports none of them, so it sits below them at the app's top.

The diagrams (委託構成図) are drawn by `payments`, which imports `reviews`; reviews
(and consignments, linkages) must not import it back. So payments' providers are
registered here by config.wiring (the one place every extension point is filled), and
the report PDF, the report page and the record pages ask this module for whatever
figures the registered apps draw.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Figure:
    title: str
    # Markup made by a drawing function that escapes every label it writes (Graphviz);
    # a provider marks only that output safe, never text taken from a record.
    svg: SafeString
    # Said above the drawing when it is not what the title promises (a linkage drawn
    # from its items because no recorded flow carries them).
    warning: str = ""


# A report item (reviews.council), typed as a model: the council imports this module.
ReportItemFigures = Callable[[Model], list[Figure]]
RecordFigures = Callable[[Model], list[Figure]]
RecordsFigures = Callable[[list[Model], str], list[Figure]]

_report_item_providers: list[ReportItemFigures] = []
_record_providers: list[RecordFigures] = []
_records_providers: list[RecordsFigures] = []


def register_report_item_figures(provider: ReportItemFigures) -> None:
    """`provider(item)` returns the figures for one report item ([] when it has none)."""
    if provider not in _report_item_providers:
        _report_item_providers.append(provider)


def register_record_figures(provider: RecordFigures) -> None:
    """`provider(record)` returns the figures for a Form 2 / Form 5 record page ([] for
    records it does not know)."""
    if provider not in _record_providers:
        _record_providers.append(provider)


def report_item_figures(item: Model) -> list[Figure]:
    return [figure for provider in _report_item_providers for figure in provider(item)]


def record_figures(record: Model) -> list[Figure]:
    return [figure for provider in _record_providers for figure in provider(record)]


def register_records_figures(provider: RecordsFigures) -> None:
    """`provider(records, title)` returns one drawing of what several records (those an
    agenda item puts forward) do together ([] when it knows none of them)."""
    if provider not in _records_providers:
        _records_providers.append(provider)


def records_figures(records: list[Model], title: str) -> list[Figure]:
    return [figure for provider in _records_providers for figure in provider(records, title)]
