"""Stored PDFs of versions that never change: read, not rendered, when printed again.

A stored file is found by its key: a digest of what the form prints (its template
context and title) and of the layout fingerprint (templates, template filters,
stylesheet, fonts, renderer, PDF variants and the PDF/UA post-processing). A corrected record or a changed layout
has another key, so it is rendered afresh and nothing stale is ever served.
"""

import hashlib
import json
import re
from functools import cache
from pathlib import Path

import weasyprint
from django.template.loader import get_template

from printing.models import StoredPdf
from printing.render import PDF_ARCHIVE, PDF_TAGGED, STYLESHEET, RenderedPdf, font_files

TEMPLATE_FILTERS = Path(__file__).resolve().parent / "templatetags" / "forms.py"
# What printing/pdfua.py writes into a tagged file is part of what is served: a fix there
# must reach the stored files too.
PDFUA = Path(__file__).resolve().parent / "pdfua.py"
EXTENDS = re.compile(r"""{%\s*extends\s+["']([^"']+)["']\s*%}""")


def _template_files(template_name: str) -> list[Path]:
    """The template's file and the files of the templates it extends."""
    files = []
    name: str | None = template_name
    while name:
        path = Path(get_template(name).origin.name)
        files.append(path)
        match = EXTENDS.search(path.read_text(encoding="utf-8"))
        name = match.group(1) if match else None
    return files


def layout_digest(files: list[Path], fonts: list[tuple[Path, int]]) -> str:
    digest = hashlib.sha256(f"{weasyprint.__version__} {PDF_ARCHIVE} {PDF_TAGGED}".encode())
    for path in files:
        digest.update(path.read_bytes())
    # Font files are large: their path, size and modification time stand for them.
    for path, index in fonts:
        stat = path.stat()
        digest.update(f"{path}:{index}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


@cache
def layout_fingerprint(template_name: str) -> str:
    """What shapes a printed page besides its content, read once per process (a new
    layout is deployed with a restart)."""
    files = [*_template_files(template_name), TEMPLATE_FILTERS, STYLESHEET, PDFUA]
    return layout_digest(files, list(font_files()))


def pdf_key(*, kind: str, template_name: str, title: str, form: dict) -> str:
    printed = json.dumps([kind, title, form], sort_keys=True, ensure_ascii=False, default=str)
    digest = hashlib.sha256(printed.encode())
    digest.update(layout_fingerprint(template_name).encode())
    return digest.hexdigest()


def _under_keys(kind: str, keys: dict[int, str]):
    # Each row is checked against its own record's key by the caller.
    return StoredPdf.objects.filter(kind=kind, record_id__in=list(keys), key__in=set(keys.values()))


def stored_pdfs_find(*, kind: str, keys: dict[int, str]) -> dict[int, RenderedPdf]:
    """The stored PDFs of records {record id: key} that have one, by record id."""
    rows = _under_keys(kind, keys).values_list("record_id", "key", "content", "pages")
    return {
        record_id: RenderedPdf(content=bytes(content), pages=pages)
        for record_id, key, content, pages in rows
        if keys[record_id] == key
    }


def stored_pdf_ids(*, kind: str, keys: dict[int, str]) -> set[int]:
    """The records {record id: key} whose PDF is stored under that key (nothing read)."""
    rows = _under_keys(kind, keys).values_list("record_id", "key")
    return {record_id for record_id, key in rows if keys[record_id] == key}


def stored_pdfs_save(*, kind: str, files: dict[int, tuple[str, RenderedPdf]]) -> None:
    """Keep rendered PDFs {record id: (key, pdf)} and drop those records' files of other
    keys (an older layout or a corrected version): they can never be served again. Two
    workers storing the same file at once keep the first."""
    if not files:
        return
    StoredPdf.objects.bulk_create(
        [
            StoredPdf(kind=kind, record_id=pk, key=key, content=pdf.content, pages=pdf.pages)
            for pk, (key, pdf) in files.items()
        ],
        ignore_conflicts=True,
    )
    keys = [key for key, _ in files.values()]
    StoredPdf.objects.filter(kind=kind, record_id__in=list(files)).exclude(key__in=keys).delete()
