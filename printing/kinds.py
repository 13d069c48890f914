"""The printable forms, registered by the apps that own them.

`printing` imports no app, so each app registers its forms here from its
AppConfig.ready(); the command line, the batch jobs and the admin actions then work
with any registered kind by name.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from django.conf import settings
from django.db.models import Model, QuerySet

from printing.render import RenderedPdf, missing_glyphs, render_forms, render_html, write_forms


@dataclass(frozen=True)
class PrintableKind:
    name: str  # "form2": used on the command line and stored in print jobs
    label: str  # 外部委託記録票（第2号様式）
    template_name: str
    # All records of the kind, with what the form needs prefetched, in print order.
    queryset: Callable[[], QuerySet]
    # Template contexts for records; a generator so vocabularies load once per batch.
    forms: Callable[[Iterable[Model]], Iterator[dict[str, Any]]]
    filename: Callable[[Model], str]
    business_lookup: str = "business__number"

    def records(self, *, ids: Iterable[int] | None = None, business: str | None = None):
        records = self.queryset()
        if ids is not None:
            records = records.filter(pk__in=list(ids))
        if business:
            # The lookup may cross a many-to-many relation: one row per record.
            records = records.filter(**{self.business_lookup: business}).distinct()
        return records

    def render(self, records: Iterable[Model]) -> RenderedPdf:
        return render_forms(self.template_name, list(self.forms(records)))

    def unprintable(self, records: Iterable[Model]) -> list[str]:
        """Characters of the printed records that no font of the stylesheet has."""
        return missing_glyphs(render_html(self.template_name, list(self.forms(records))))

    def write(self, records: QuerySet, target: BinaryIO, **kwargs) -> RenderedPdf:
        """Many records into one PDF in bounded memory (see printing.render.write_forms)."""
        # iterator(chunk_size) keeps the prefetches but never loads every row at once.
        rows = records.iterator(chunk_size=settings.PRINT_CHUNK_SIZE)
        return write_forms(self.template_name, self.forms(rows), target, **kwargs)


_KINDS: dict[str, PrintableKind] = {}


def register(kind: PrintableKind) -> None:
    _KINDS[kind.name] = kind


def get(name: str) -> PrintableKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(
            f"帳票の種類「{name}」はありません。使える種類: {', '.join(names())}"
        ) from None


def names() -> list[str]:
    return sorted(_KINDS)
