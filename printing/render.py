"""PDF rendering of the official forms with WeasyPrint, in one place for every app.

The font configuration and the base stylesheet are built once per process and passed
to every render: a fresh FontConfiguration per render is slower and grows memory with
every form. WeasyPrint only fetches through `StaticOnlyURLFetcher`, so a value that
slipped through as markup still cannot read local files or reach the network.

Every PDF is written as PDF/A-2 (archive grade: fonts embedded, colours with an output
intent, XMP metadata) with a title, the ward as author (PRINT_AUTHOR), the creation date
and the language; a `tagged` one (what is kept, and so what the public register serves)
is PDF/A-2a, with the structure tree screen readers need (JIS X 8341-3).
"""

import copy
import gc
import io
import logging
import mimetypes
import subprocess
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pikepdf
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import CSS, HTML, Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from printing.pdfua import make_pdfua

logger = logging.getLogger(__name__)

# The stylesheet's font stack, in order; glyph coverage is checked against the same list.
FONT_FAMILIES = ("IPAexMincho", "Noto Serif CJK JP", "DejaVu Serif")
STYLESHEET = Path(__file__).resolve().parent / "static" / "printing" / "forms.css"
# PDF/A-2 level B (visual appearance preserved) for every file; level A adds the tags.
PDF_ARCHIVE = "pdf/a-2b"
PDF_TAGGED = "pdf/a-2a"
LANGUAGE = "ja"
# Objects allocated (net) between two collections of the youngest generation while forms
# are laid out and written; Python's default is 700.
GC_THRESHOLD = 100_000


def static_roots() -> list[Path]:
    """The only directories the renderer may read from: the project's static files."""
    roots = [STYLESHEET.parent.parent]
    roots += [Path(d).resolve() for d in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


class StaticOnlyURLFetcher(URLFetcher):
    """Serves files below the static roots and refuses everything else: other local
    files, http(s), data: and any other scheme."""

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise ValueError(f"帳票の描画で外部の資源は読み込めません: {url}")
        path = Path(unquote(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in static_roots()) or not path.is_file():
            raise ValueError(f"帳票の描画で静的ファイル以外は読み込めません: {url}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type}
        )


@cache
def font_config() -> FontConfiguration:
    return FontConfiguration()


@cache
def _fetcher() -> StaticOnlyURLFetcher:
    return StaticOnlyURLFetcher()


@cache
def base_stylesheet() -> CSS:
    return CSS(filename=str(STYLESHEET), font_config=font_config(), url_fetcher=_fetcher())


@cache
def font_files() -> tuple[tuple[Path, int], ...]:
    """The file and, for a collection (.ttc), the index fontconfig draws each installed
    family of the stack with."""
    files = []
    for family in FONT_FAMILIES:
        match = subprocess.run(
            ["fc-match", "--format=%{file}\n%{index}\n%{family}", f"{family}:style=Regular"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split("\n")
        if family not in match[2].split(","):
            # fontconfig answers with its default font when a family is missing.
            logger.warning("帳票用のフォント「%s」がインストールされていません。", family)
            continue
        files.append((Path(match[0]), int(match[1] or 0)))
    return tuple(files)


@cache
def _covered_code_points() -> frozenset[int]:
    """Every code point some font of the stack can draw (read once from the font files)."""
    from fontTools.ttLib import TTFont

    covered: set[int] = set()
    for path, index in font_files():
        with TTFont(path, fontNumber=index, lazy=True) as font:
            covered.update(font.getBestCmap() or {})
    return frozenset(covered)


def missing_glyphs(text: str) -> list[str]:
    """Characters of text no font of the stack has: they would print as blank boxes
    (.notdef) and make the page unreadable to text extractors."""
    covered = _covered_code_points()
    # Only the distinct characters are looked at (a set of the text is built in C).
    absent = {char for char in set(text) if ord(char) not in covered}
    # Control and format characters draw nothing; everything else needs a glyph,
    # private-use characters (外字) included.
    absent = {char for char in absent if unicodedata.category(char) not in ("Cc", "Cf")}
    return sorted(absent, key=text.index)


def unprintable_message(chars: list[str]) -> str:
    return (
        f"帳票のフォントにない文字があります（空白の四角で印字されます）: {'、'.join(chars)}"
        "。JIS第1・第2水準の文字に置き換えてください。"
    )


@dataclass
class RenderedPdf:
    content: bytes
    pages: int
    missing_glyphs: list[str] = field(default_factory=list)


def render_html(template_name: str, forms: list[dict]) -> str:
    return render_to_string(template_name, {"forms": forms})


_gc_lock = threading.Lock()
_gc_users = 0
_gc_default: tuple[int, ...] = ()


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Collect garbage less often while WeasyPrint works. A laid-out chunk is millions of
    small objects that all live until it is written: at the default threshold the
    collector walks them over and over, a sixth of the layout time measured here. What
    they leave behind is collected as usual afterwards. Counted, so concurrent renders
    (threads) restore the default only when the last one ends."""
    global _gc_users, _gc_default
    with _gc_lock:
        if not _gc_users:
            _gc_default = gc.get_threshold()
            gc.set_threshold(GC_THRESHOLD, *_gc_default[1:])
        _gc_users += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_users -= 1
            if not _gc_users:
                gc.set_threshold(*_gc_default)


def _layout(html: str) -> Document:
    document = HTML(string=html, base_url=STYLESHEET.parent.as_uri() + "/", url_fetcher=_fetcher())
    return document.render(font_config=font_config(), stylesheets=[base_stylesheet()])


def _compressed(content: bytes, *, tagged: bool = False) -> bytes:
    """The file with its streams compressed by qpdf: WeasyPrint compresses at zlib's
    slowest level, which took about 40 % of the time of writing a form, for files only
    1 % smaller. qpdf keeps everything else (output intent, structure tree) and leaves
    the XMP metadata uncompressed, as PDF/A wants it."""
    target = io.BytesIO()
    with pikepdf.open(io.BytesIO(content)) as pdf:
        if tagged:
            make_pdfua(pdf)
        pdf.save(
            target,
            compress_streams=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            # The XMP packet is WeasyPrint's, byte for byte.
            fix_metadata_version=False,
        )
    return target.getvalue()


def _write(document: Document, *, title: str, tagged: bool, missing: list[str]) -> RenderedPdf:
    """The document as PDF/A-2, with metadata of its own (a copy shares its original's)."""
    document.metadata = copy.copy(document.metadata)
    document.metadata.title = title
    document.metadata.authors = [settings.PRINT_AUTHOR]
    document.metadata.created = timezone.now().isoformat(timespec="seconds")
    document.metadata.lang = LANGUAGE
    content = document.write_pdf(
        pdf_variant=PDF_TAGGED if tagged else PDF_ARCHIVE, uncompressed_pdf=True
    )
    return RenderedPdf(
        content=_compressed(content, tagged=tagged),
        pages=len(document.pages),
        missing_glyphs=missing,
    )


def _check_glyphs(html: str) -> list[str]:
    missing = missing_glyphs(html)
    if missing:
        logger.warning("帳票に印字できない文字があります: %s", "".join(missing))
    return missing


def render_pdf(html: str, *, title: str, tagged: bool = False) -> RenderedPdf:
    """One PDF/A-2 file from one HTML document, with the shared fonts and stylesheet."""
    missing = _check_glyphs(html)
    with _fewer_collections():
        return _write(_layout(html), title=title, tagged=tagged, missing=missing)


def _write_each(
    document: Document, *, titles: list[str], tagged: Sequence[bool], missing: list[list[str]]
) -> list[RenderedPdf] | None:
    """Each form's pages of a document laid out from printing/base.html as a file of its
    own: a sheet's anchor (`sheet-<n>`) tells on which page it starts. None when the
    template has sheets of its own, without those anchors."""
    # A sheet's anchor is listed on every page the sheet spans: its first page counts.
    first_pages: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:
            first_pages.setdefault(anchor, number)
    anchors = [f"sheet-{n}" for n in range(len(titles))]
    if not all(anchor in first_pages for anchor in anchors):
        return None
    starts = [first_pages[anchor] for anchor in anchors] + [len(document.pages)]
    return [
        _write(
            document.copy(document.pages[starts[n] : starts[n + 1]]),
            title=titles[n],
            tagged=tagged[n],
            missing=missing[n],
        )
        for n in range(len(titles))
    ]


def render_each(
    template_name: str, forms: list[dict], *, titles: list[str], tagged: Sequence[bool]
) -> list[RenderedPdf]:
    """Each form's own PDF/A-2 file, tagged where `tagged` says. The forms are laid out
    together, once (the costly part), then each form's pages are written apart."""
    html = render_html(template_name, forms)
    # The forms' characters together: only when some are missing (rare) is each form's
    # own HTML looked at, to tell whose they are.
    if _check_glyphs(html):
        missing = [missing_glyphs(render_html(template_name, [form])) for form in forms]
    else:
        missing = [[] for _ in forms]
    with _fewer_collections():
        pdfs = _write_each(_layout(html), titles=titles, tagged=tagged, missing=missing)
        if pdfs is None:
            # A template with sheets of its own: each form is laid out alone.
            pdfs = [
                render_pdf(render_html(template_name, [form]), title=title, tagged=tag)
                for form, title, tag in zip(forms, titles, tagged, strict=True)
            ]
    if len(forms) > 1:
        # A laid-out chunk's boxes, styles and elements refer to one another: only a full
        # collection frees them. Collected now, before the next chunk is laid out beside
        # them, memory stays flat over a batch of any size.
        gc.collect()
    return pdfs


def render_forms(
    template_name: str, forms: list[dict], *, title: str, tagged: bool = False
) -> RenderedPdf:
    return render_pdf(render_html(template_name, forms), title=title, tagged=tagged)
