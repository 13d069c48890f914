"""Every PDF is PDF/A-2 with its metadata, and a tagged one (what is kept and published)
carries its structure tree: checked by reading the files back (no PDF/A validator can be
installed here)."""

import io

import pikepdf
import pytest

from consignments.models import Consignment
from consignments.pdf import FORM2
from printing import render
from reviews.council.pdf import ANSWER
from reviews.workflow.states import State
from tests.factories import ConsignmentFactory

PAGE = (
    '<!DOCTYPE html><html lang="ja"><body><table><tr><th>業務の名称</th>'
    "<td>{}</td></tr></table></body></html>"
)


def read(content: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(content))


def structure_types(pdf: pikepdf.Pdf) -> set[str]:
    """Every structure element's type, walking the tree from its root."""
    types: set[str] = set()
    pending = [pdf.Root.StructTreeRoot]
    while pending:
        element = pending.pop()
        if "/S" in element:
            types.add(str(element.S))
        kids = element.get("/K")
        if isinstance(kids, pikepdf.Array):
            pending += [kid for kid in kids if isinstance(kid, pikepdf.Dictionary)]
        elif isinstance(kids, pikepdf.Dictionary):
            pending.append(kids)
    return types


def embedded_fonts(pdf: pikepdf.Pdf) -> dict[str, bool]:
    fonts = {}
    for page in pdf.pages:
        for font in page.Resources.Font.values():
            descriptor = font.DescendantFonts[0].FontDescriptor
            fonts[str(font.BaseFont)] = "/FontFile2" in descriptor or "/FontFile3" in descriptor
    return fonts


def test_it_writes_pdfa_2b_with_title_author_date_and_language(settings):
    settings.PRINT_AUTHOR = "試験区"
    pdf = read(render.render_pdf(PAGE.format("収納事務"), title="試験の帳票").content)
    meta = pdf.open_metadata()
    assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "B")
    assert meta["dc:title"] == "試験の帳票"
    assert meta["dc:creator"] == ["試験区"]
    assert meta["xmp:CreateDate"].startswith("20")
    assert pdf.docinfo["/Author"] == "試験区"
    assert str(pdf.Root.Lang) == "ja"
    assert "/GTS_PDFA1" in str(pdf.Root.OutputIntents[0].S)
    assert "/StructTreeRoot" not in pdf.Root
    assert all(embedded_fonts(pdf).values())


def test_it_tags_for_screen_readers_when_asked():
    pdf = read(render.render_pdf(PAGE.format("収納事務"), title="試験", tagged=True).content)
    meta = pdf.open_metadata()
    assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "A")
    assert pdf.Root.MarkInfo.Marked
    assert {"/Table", "/TH", "/TD"} <= structure_types(pdf)


@pytest.mark.usefixtures("seed")
def test_a_form_names_itself_the_record_and_the_ward(settings):
    consignment = Consignment.objects.with_form_data().get(pk=1)
    pdf = read(FORM2.render([consignment]).content)
    meta = pdf.open_metadata()
    assert meta["dc:title"] == (
        f"外部委託記録票（第2号様式） 業務登録番号{consignment.business.number} "
        f"{consignment.business.name}（記録票1）"
    )
    assert meta["dc:creator"] == [settings.PRINT_AUTHOR]
    # One record's file is what the public register serves: tagged, table headers and all.
    assert meta["pdfaid:conformance"] == "A"
    assert {"/Table", "/TH"} <= structure_types(pdf)
    assert any("IPAexMincho" in name for name in embedded_fonts(pdf))
    assert all(embedded_fonts(pdf).values())


@pytest.mark.usefixtures("seed")
def test_an_answer_is_tagged_pdfa_too():
    answer = ANSWER.queryset().first()
    pdf = read(ANSWER.render([answer]).content)
    meta = pdf.open_metadata()
    assert meta["pdfaid:conformance"] == "A"
    assert meta["dc:title"].startswith(f"答申 {answer}")
    assert "/StructTreeRoot" in pdf.Root


@pytest.mark.django_db
def test_a_draft_is_pdfa_2b_and_what_is_kept_is_tagged():
    draft, approved = ConsignmentFactory(state=State.DRAFT), ConsignmentFactory()
    records = {r.pk: r for r in FORM2.records(ids=[draft.pk, approved.pk])}
    # Rendered together, as a batch's chunk: each file as its record needs.
    draft_pdf, approved_pdf = FORM2.pdfs([records[draft.pk], records[approved.pk]])
    assert read(draft_pdf.content).open_metadata()["pdfaid:conformance"] == "B"
    assert "/StructTreeRoot" not in read(draft_pdf.content).Root
    assert read(approved_pdf.content).open_metadata()["pdfaid:conformance"] == "A"
    assert {"/Table", "/TH"} <= structure_types(read(approved_pdf.content))
