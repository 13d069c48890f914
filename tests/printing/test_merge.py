"""Merging PDF/A parts into one PDF/A-2b batch with each font embedded once."""

import io

import pikepdf
from fontTools.ttLib import TTFont

from printing import render
from printing.merge import merge_pdfs
from tests.pdf_text import page_texts

PAGE = '<!DOCTYPE html><html lang="ja"><body><p>{}</p></body></html>'
# Each part uses glyphs the others lack, so the merged font must carry all of them.
TEXTS = ["頁一 収納課", "頁二 戸籍住民課", "頁三 保護措置 ⑴", "頁四 収納課"]


def merged(tagged: bool = False) -> bytes:
    parts = [render.render_pdf(PAGE.format(t), title=t, tagged=tagged).content for t in TEXTS]
    target = io.BytesIO()
    pages = merge_pdfs(
        iter(parts), target, title=lambda n: f"試験 {n}件", author="試験区", language="ja"
    )
    assert pages == len(TEXTS)
    return target.getvalue()


def test_it_keeps_every_page_in_order_with_its_text():
    texts = [text.strip() for text in page_texts(merged())]
    assert texts == TEXTS


def test_it_embeds_each_font_once_with_every_glyph_used():
    pdf = pikepdf.open(io.BytesIO(merged()))
    mincho = {
        font.objgen
        for page in pdf.pages
        for font in page.Resources.Font.values()
        if "IPAexMincho" in str(font.BaseFont)
    }
    assert len(mincho) == 1
    font = pdf.get_object(next(iter(mincho)))
    descendant = font.DescendantFonts[0]
    truetype = TTFont(io.BytesIO(descendant.FontDescriptor.FontFile2.read_bytes()))
    order = truetype.getGlyphOrder()
    widths = list(descendant.W)
    used = [int(widths[i]) + n for i in range(0, len(widths), 2) for n in range(len(widths[i + 1]))]
    space = truetype.getBestCmap()[ord(" ")]
    drawn = [gid for gid in used if gid != truetype.getGlyphID(space)]
    # Every glyph a page draws has its outline in the one merged font.
    assert all(truetype["glyf"][order[gid]].numberOfContours != 0 for gid in drawn)


def test_ten_parts_cost_little_more_than_one():
    part = render.render_pdf(PAGE.format("収納課 戸籍住民課 保護措置"), title="試験").content
    target = io.BytesIO()
    merge_pdfs([part] * 10, target, title=str, author="試験区", language="ja")
    assert len(target.getvalue()) < 1.5 * len(part)


def test_it_writes_pdfa_2b_metadata_even_from_tagged_parts():
    pdf = pikepdf.open(io.BytesIO(merged(tagged=True)))
    meta = pdf.open_metadata()
    assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "B")
    assert meta["dc:title"] == "試験 4件"
    assert meta["dc:creator"] == ["試験区"]
    assert str(pdf.Root.Lang) == "ja"
    assert "/OutputIntents" in pdf.Root
    assert not any("/StructParents" in page.obj for page in pdf.pages)
