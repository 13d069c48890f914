"""The printable forms, defined by the apps that own them.

`printing` imports no app, so the forms are registered here by config.wiring, the one
place every extension point is filled; the command line, the batch jobs and the admin
actions then work with any registered kind by name.

Each record prints as its own PDF/A file. A version that never changes (`final`) is
tagged (PDF/A-2a), stored the first time and read afterwards (printing.store): only such
versions are published, so the public register serves tagged files. A draft is printed
for the moment and never kept or published: PDF/A-2b, which is quicker to write. A batch
is the records' files merged into one PDF/A-2b file, each font embedded once
(printing.merge).
"""

import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any, BinaryIO

from django.conf import settings
from django.db.models import Model, QuerySet

from printing.merge import merge_pdfs
from printing.render import LANGUAGE, RenderedPdf, missing_glyphs, render_each, render_html
from printing.store import pdf_key, stored_pdf_ids, stored_pdfs_find, stored_pdfs_save


def _always(record: Model) -> bool:
    return True


def chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


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
    # The record as the PDF's title names it, after the form's label.
    describe: Callable[[Model], str] = str
    # Whether what the record prints can no longer change (an approved version): its
    # PDF is then stored. The key covers the printed content either way.
    final: Callable[[Model], bool] = _always

    def records(self, *, ids: Iterable[int] | None = None, business: str | None = None):
        records = self.queryset()
        if ids is not None:
            records = records.filter(pk__in=list(ids))
        if business:
            # The lookup may cross a many-to-many relation: one row per record.
            records = records.filter(**{self.business_lookup: business}).distinct()
        return records

    def title(self, record: Model) -> str:
        return f"{self.label} {self.describe(record)}"

    def download_name(self, record: Model) -> str:
        """The Japanese name a download offers: the form's label and the numbers of
        its ASCII name (form2_0404-01_11.pdf → 外部委託記録票（第2号様式）_0404-01_11.pdf);
        the ASCII name stays the fallback and the name of files a command writes."""
        ascii_name = self.filename(record)
        return f"{self.label}_{ascii_name.split('_', 1)[-1]}"

    def _keys(self, records: list[Model], forms: list[dict], titles: list[str]) -> dict[int, str]:
        return {
            record.pk: pdf_key(
                kind=self.name, template_name=self.template_name, title=title, form=form
            )
            for record, title, form in zip(records, titles, forms, strict=True)
            if self.final(record)
        }

    def stored_keys(self, records: Iterable[Model]) -> dict[int, str]:
        """The key each final record's PDF is stored under now, by record id."""
        return self._forms_titles_keys(list(records))[2]

    def _forms_titles_keys(self, records: list[Model]):
        """The records' template contexts, titles and (final ones') keys."""
        forms = list(self.forms(records))
        titles = [self.title(record) for record in records]
        return forms, titles, self._keys(records, forms, titles)

    def _render(
        self, records: list[Model], forms, titles, keys, indexes: list[int]
    ) -> dict[int, RenderedPdf]:
        """records[n]'s PDF for each n of `indexes`, by n; final versions' files stored."""
        if not indexes:
            return {}
        rendered = render_each(
            self.template_name,
            [forms[n] for n in indexes],
            titles=[titles[n] for n in indexes],
            tagged=[records[n].pk in keys for n in indexes],
        )
        fresh = dict(zip(indexes, rendered, strict=True))
        # A file with blank boxes is not kept: its warning must show every time.
        stored_pdfs_save(
            kind=self.name,
            files={
                records[n].pk: (keys[records[n].pk], pdf)
                for n, pdf in fresh.items()
                if records[n].pk in keys and not pdf.missing_glyphs
            },
        )
        return fresh

    def pdfs(self, records: list[Model]) -> list[RenderedPdf]:
        """Each record's own PDF, read from the store when a final version has one,
        rendered (and stored when final) otherwise."""
        forms, titles, keys = self._forms_titles_keys(records)
        stored = stored_pdfs_find(kind=self.name, keys=keys)
        missing = [n for n, record in enumerate(records) if record.pk not in stored]
        fresh = self._render(records, forms, titles, keys, missing)
        return [stored.get(record.pk) or fresh[n] for n, record in enumerate(records)]

    def store(self, records: Iterable[Model]) -> int:
        """Render and keep the files of the final versions among `records` that have
        none, so that their first print reads a file (printed ahead by the task worker
        once approved). How many were rendered."""
        records = [record for record in records if self.final(record)]
        forms, titles, keys = self._forms_titles_keys(records)
        have = stored_pdf_ids(kind=self.name, keys=keys)
        missing = [n for n, record in enumerate(records) if record.pk not in have]
        return len(self._render(records, forms, titles, keys, missing))

    def render(self, records: Iterable[Model]) -> RenderedPdf:
        """One record's PDF, or a few records' merged into one."""
        records = list(records)
        if len(records) == 1:
            return self.pdfs(records)[0]
        target = io.BytesIO()
        result = self.write(records, target)
        return RenderedPdf(target.getvalue(), result.pages, result.missing_glyphs)

    def unprintable(self, records: Iterable[Model]) -> list[str]:
        """Characters of the printed records that no font of the stylesheet has. None
        when every record's file is stored (one with blank boxes is never kept): the
        form is not rendered to find out."""
        records = list(records)
        forms, _, keys = self._forms_titles_keys(records)
        if len(keys) == len(records) and stored_pdf_ids(kind=self.name, keys=keys) == set(keys):
            return []
        return missing_glyphs(render_html(self.template_name, forms))

    def write(
        self,
        records: Iterable[Model],
        target: BinaryIO,
        *,
        on_progress: Callable[[int], None] | None = None,
    ) -> RenderedPdf:
        """Many records into one PDF/A-2b file, read or rendered PRINT_CHUNK_SIZE at a
        time. Returns the summary (content empty)."""
        if isinstance(records, QuerySet):
            # iterator(chunk_size) keeps the prefetches but never loads every row at once.
            records = records.iterator(chunk_size=settings.PRINT_CHUNK_SIZE)
        missing: dict[str, None] = {}

        def parts() -> Iterator[bytes]:
            done = 0
            for chunk in chunks(records, settings.PRINT_CHUNK_SIZE):
                for pdf in self.pdfs(chunk):
                    missing.update(dict.fromkeys(pdf.missing_glyphs))
                    yield pdf.content
                done += len(chunk)
                if on_progress:
                    on_progress(done)

        pages = merge_pdfs(
            parts(),
            target,
            title=lambda parts: f"{self.label} {parts}件",
            author=settings.PRINT_AUTHOR,
            language=LANGUAGE,
        )
        return RenderedPdf(content=b"", pages=pages, missing_glyphs=list(missing))


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


def for_model(model: type[Model]) -> list[PrintableKind]:
    """The kinds that print records of `model`."""
    return [kind for kind in _KINDS.values() if kind.queryset().model is model]
