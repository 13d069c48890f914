"""printing.render: shared fonts and stylesheet, the static-only fetcher, glyph checks."""

import gc
import io
import logging
from pathlib import Path

import pikepdf
import pytest

from printing import render
from tests.pdf_text import font_names, page_texts, reader

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

PAGE = '<!DOCTYPE html><html lang="ja"><body><p>{}</p></body></html>'


def test_it_builds_the_font_configuration_and_stylesheet_once():
    assert render.font_config() is render.font_config()
    assert render.base_stylesheet() is render.base_stylesheet()


def test_it_serves_the_projects_static_files():
    fetcher = render.StaticOnlyURLFetcher()
    response = fetcher.fetch(render.STYLESHEET.as_uri())
    assert b"table-layout: fixed" in response.read()
    assert response.content_type == "text/css"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        # A path that starts in the static directory and climbs out of it.
        render.STYLESHEET.parent.as_uri() + "/../../../../../../etc/passwd",
        "http://127.0.0.1:8000/admin/",
        "https://example.com/logo.png",
        "data:text/plain,hello",
        "ftp://example.com/file",
    ],
)
def test_it_refuses_everything_else(url):
    with pytest.raises(ValueError, match="読み込めません"):
        render.StaticOnlyURLFetcher().fetch(url)


def test_it_loads_nothing_from_markup_that_reaches_the_renderer(weasyprint_warnings):
    # Templates escape every value; this is the second line of defence, should raw
    # markup ever reach WeasyPrint.
    pdf = render.render_pdf(PAGE.format('<img src="file:///etc/passwd">本文'), title="試験")
    assert "本文" in page_texts(pdf.content)[0]
    assert "root:" not in page_texts(pdf.content)[0]
    messages = [record.getMessage() for record in weasyprint_warnings]
    assert any("/etc/passwd" in message for message in messages)
    weasyprint_warnings.clear()  # provoked on purpose


def test_it_embeds_a_fallback_font_for_characters_mincho_lacks():
    pdf = render.render_pdf(PAGE.format("保護措置 ⑴ 端末の設定"), title="試験")
    assert "⑴" in page_texts(pdf.content)[0]
    names = font_names(pdf.content)
    assert any("IPAexMincho" in name for name in names)
    assert any("Noto-Serif-CJK-JP" in name for name in names)
    assert pdf.missing_glyphs == []


def test_it_reports_characters_no_font_can_print(caplog, weasyprint_warnings):
    assert render.missing_glyphs("収納課 🪐 \U000f0001 𠮷") == ["🪐", "\U000f0001"]
    with caplog.at_level(logging.WARNING, logger="printing.render"):
        pdf = render.render_pdf(PAGE.format("惑星🪐"), title="試験")
    assert pdf.missing_glyphs == ["🪐"]
    assert "印字できない文字があります: 🪐" in caplog.text
    # WeasyPrint reports the blank box too; provoked on purpose here.
    assert [r.getMessage() for r in weasyprint_warnings if ".notdef" in r.getMessage()]
    weasyprint_warnings.clear()


def test_it_lays_forms_out_together_and_writes_each_apart(settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [TEMPLATES]}]
    pdfs = render.render_each(
        "printing/test_page.html",
        [{"n": 1}, {"n": 2, "long": True}, {"n": 3}],
        titles=["一", "二", "三"],
        tagged=[False, False, False],
    )
    assert [pdf.pages for pdf in pdfs] == [1, 2, 1]
    assert [page_texts(pdf.content)[0].split()[0] for pdf in pdfs] == ["頁1", "頁2", "頁3"]
    assert [reader(pdf.content).metadata.title for pdf in pdfs] == ["一", "二", "三"]


def test_it_lays_out_each_form_alone_when_the_template_has_sheets_of_its_own(settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [TEMPLATES]}]
    pdfs = render.render_each(
        "printing/test_own_sheets.html",
        [{"n": 1}, {"n": 2}],
        titles=["一", "二"],
        tagged=[True, False],
    )
    assert [page_texts(pdf.content) for pdf in pdfs] == [["頁1"], ["頁2"]]
    assert [conformance(pdf.content) for pdf in pdfs] == ["A", "B"]


def conformance(content: bytes) -> str:
    return pikepdf.open(io.BytesIO(content)).open_metadata()["pdfaid:conformance"]


def test_it_tags_the_forms_it_is_asked_to(settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [TEMPLATES]}]
    pdfs = render.render_each(
        "printing/test_page.html",
        [{"n": 1}, {"n": 2}, {"n": 3}],
        titles=["一", "二", "三"],
        tagged=[True, False, True],
    )
    assert [conformance(pdf.content) for pdf in pdfs] == ["A", "B", "A"]
    tagged = pikepdf.open(io.BytesIO(pdfs[0].content))
    assert "/StructTreeRoot" in tagged.Root
    assert "/StructTreeRoot" not in pikepdf.open(io.BytesIO(pdfs[1].content)).Root


def test_it_checks_the_forms_characters_once_and_names_whose_are_missing(
    settings, caplog, weasyprint_warnings
):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [TEMPLATES]}]
    with caplog.at_level(logging.WARNING, logger="printing.render"):
        pdfs = render.render_each(
            "printing/test_page.html",
            [{"n": 1}, {"n": 2, "text": "惑星🪐"}, {"n": 3, "text": "🪐"}],
            titles=["一", "二", "三"],
            tagged=[False, False, False],
        )
    assert [pdf.missing_glyphs for pdf in pdfs] == [[], ["🪐"], ["🪐"]]
    assert caplog.text.count("印字できない文字があります") == 1
    weasyprint_warnings.clear()  # the blank boxes WeasyPrint reports, provoked on purpose


def test_it_compresses_the_file_but_not_its_metadata():
    content = render.render_pdf(PAGE.format("収納事務"), title="試験", tagged=True).content
    pdf = pikepdf.open(io.BytesIO(content))
    assert "/Filter" not in pdf.Root.Metadata
    fonts = [
        font.DescendantFonts[0].FontDescriptor.FontFile2
        for font in pdf.pages[0].Resources.Font.values()
    ]
    assert all(font.Filter == "/FlateDecode" for font in fonts)
    assert all(page.Contents.Filter == "/FlateDecode" for page in pdf.pages)
    assert len(content) < 100_000


def test_it_collects_garbage_as_usual_once_the_forms_are_written():
    before = gc.get_threshold()
    render.render_pdf(PAGE.format("収納事務"), title="試験")
    assert gc.get_threshold() == before
