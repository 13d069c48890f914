"""PDF rendering of the official forms with WeasyPrint, in one place for every app.

The font configuration and the base stylesheet are built once per process and passed
to every render: a fresh FontConfiguration per render is slower and grows memory with
every form. WeasyPrint only fetches through `StaticOnlyURLFetcher`, so a value that
slipped through as markup still cannot read local files or reach the network.
"""

import io
import logging
import mimetypes
import subprocess
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from itertools import islice
from pathlib import Path
from typing import IO
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# The stylesheet's font stack, in order; glyph coverage is checked against the same list.
FONT_FAMILIES = ("IPAexMincho", "Noto Serif CJK JP", "DejaVu Serif")
STYLESHEET = Path(__file__).resolve().parent / "static" / "printing" / "forms.css"


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
def _covered_code_points() -> frozenset[int]:
    """Every code point some font of the stack can draw (read once from the font files)."""
    from fontTools.ttLib import TTFont

    covered: set[int] = set()
    for family in FONT_FAMILIES:
        # The file and, for a collection (.ttc), the index fontconfig would draw with.
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
        with TTFont(match[0], fontNumber=int(match[1] or 0), lazy=True) as font:
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


def render_pdf(html: str) -> RenderedPdf:
    """One PDF from one HTML document, with the shared fonts and stylesheet."""
    missing = missing_glyphs(html)
    if missing:
        logger.warning("帳票に印字できない文字があります: %s", "".join(missing))
    document = HTML(string=html, base_url=STYLESHEET.parent.as_uri() + "/", url_fetcher=_fetcher())
    rendered = document.render(font_config=font_config(), stylesheets=[base_stylesheet()])
    return RenderedPdf(
        content=rendered.write_pdf(), pages=len(rendered.pages), missing_glyphs=missing
    )


def render_forms(template_name: str, forms: list[dict]) -> RenderedPdf:
    return render_pdf(render_html(template_name, forms))


def _chunks(items: Iterable[dict], size: int) -> Iterator[list[dict]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def write_forms(
    template_name: str,
    forms: Iterable[dict],
    target: IO[bytes],
    *,
    chunk_size: int | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> RenderedPdf:
    """Write many forms into one PDF, rendering `chunk_size` forms at a time and merging
    the parts, so memory stays bounded however many forms are printed. `forms` may be a
    generator: it is consumed one chunk at a time. Returns the summary (content empty)."""
    from pypdf import PdfReader, PdfWriter

    chunk_size = chunk_size or settings.PRINT_CHUNK_SIZE
    writer = PdfWriter()
    pages = 0
    missing: dict[str, None] = {}
    done = 0
    first: bytes | None = None
    # Each chunk's layout is dropped once its PDF is written; pypdf keeps only the
    # finished pages (a few kilobytes each) until the merged file is written.
    for number, chunk in enumerate(_chunks(forms, chunk_size)):
        part = render_forms(template_name, chunk)
        if number == 0:
            first = part.content  # a batch of one chunk needs no merging
        else:
            if number == 1:
                writer.append(PdfReader(io.BytesIO(first)), import_outline=False)
            writer.append(PdfReader(io.BytesIO(part.content)), import_outline=False)
        pages += part.pages
        missing.update(dict.fromkeys(part.missing_glyphs))
        done += len(chunk)
        if on_progress:
            on_progress(done)
    if len(writer.pages):
        writer.write(target)
    elif first is not None:
        target.write(first)
    return RenderedPdf(content=b"", pages=pages, missing_glyphs=list(missing))
