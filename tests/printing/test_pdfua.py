"""Tagged files (what the public register serves) are PDF/UA-1 as well as PDF/A-2a in
what WeasyPrint leaves out (printing/pdfua.py): every table header has its /Scope, no
data cell an empty /Headers, the reader shows the title, and the XMP names PDF/UA-1.
Checked by reading the structure back; tests/printing/test_pdfua_validator.py runs a
validator as well."""

import datetime as dt
import io

import pikepdf
import pytest
from defusedxml import ElementTree

from consignments.models import Consignment
from consignments.pdf import FORM2
from printing import render
from reviews.council.pdf import REPORT
from reviews.workflow.states import State
from tests.factories import ConsignmentFactory
from tests.pdf_text import (
    RDF,
    SCHEMA,
    marked_outside_the_tree,
    page_texts,
    squeeze,
    undeclared_xmp_schemas,
)

PAGE = (
    '<!DOCTYPE html><html lang="ja"><body>'
    "<table><thead><tr><th>項目</th><th>内容</th></tr></thead>"
    "<tbody><tr><th>業務の名称</th><td>収納事務</td></tr></tbody></table>"
    "<table><tr><td>見出しのない表</td><td>値</td></tr></table>"
    "</body></html>"
)

# A head row the HTML leaves in the table's body (no <thead>), as the council's answer has.
HEAD_ROW_IN_BODY = (
    '<!DOCTYPE html><html lang="ja"><body><table>'
    "<tr><th>日付</th><th>内容</th></tr><tr><td>令和7年4月1日</td><td>諮問</td></tr>"
    "</table></body></html>"
)


def elements(pdf: pikepdf.Pdf, kind: str) -> list[pikepdf.Dictionary]:
    found, pending = [], [pdf.Root.StructTreeRoot]
    while pending:
        element = pending.pop()
        if element.get("/S") == pikepdf.Name(kind):
            found.append(element)
        kids = element.get("/K")
        if isinstance(kids, pikepdf.Array):
            pending += [kid for kid in kids if isinstance(kid, pikepdf.Dictionary)]
        elif isinstance(kids, pikepdf.Dictionary):
            pending.append(kids)
    return found


def read(content: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(content))


def assert_pdfua(pdf: pikepdf.Pdf) -> None:
    headers = elements(pdf, "/TH")
    assert headers
    assert all("/Scope" in th.A for th in headers)
    for td in elements(pdf, "/TD"):
        attributes = td.get("/A")
        if isinstance(attributes, pikepdf.Dictionary) and "/Headers" in attributes:
            assert len(attributes.Headers) > 0
    assert pdf.Root.ViewerPreferences.DisplayDocTitle
    meta = pdf.open_metadata()
    assert meta["pdfuaid:part"] == "1"
    assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "A")
    assert undeclared_xmp_schemas(pdf) == set()


def test_table_headers_have_their_scope_and_no_cell_an_empty_headers_list():
    pdf = read(render.render_pdf(PAGE, title="試験", tagged=True).content)
    assert_pdfua(pdf)
    scopes = [th.A.Scope for th in elements(pdf, "/TH")]
    assert sorted(str(s) for s in scopes) == ["/Column", "/Column", "/Row"]


def test_a_head_row_in_the_tables_body_names_its_columns():
    pdf = read(render.render_pdf(HEAD_ROW_IN_BODY, title="試験", tagged=True).content)
    assert [str(th.A.Scope) for th in elements(pdf, "/TH")] == ["/Column", "/Column"]


def test_the_pdfua_identification_is_declared_for_pdfa():
    pdf = read(render.render_pdf(PAGE, title="試験", tagged=True).content)
    assert undeclared_xmp_schemas(pdf) == set()
    rdf = ElementTree.fromstring(pdf.Root.Metadata.read_bytes())
    (schema,) = rdf.findall(f".//{RDF}li[{SCHEMA}prefix]")
    assert schema.find(f"{SCHEMA}namespaceURI").text == "http://www.aiim.org/pdfua/ns/id/"
    assert schema.find(f"{SCHEMA}prefix").text == "pdfuaid"
    assert [name.text for name in schema.iter("{http://www.aiim.org/pdfa/ns/property#}name")] == [
        "part"
    ]


def test_an_untagged_draft_claims_no_pdfua():
    pdf = read(render.render_pdf(PAGE, title="試験").content)
    assert "pdfuaid:part" not in pdf.open_metadata()


@pytest.mark.usefixtures("seed")
def test_a_published_form_is_pdfua():
    consignment = Consignment.objects.with_form_data().get(pk=1)
    assert_pdfua(read(FORM2.render([consignment]).content))


@pytest.mark.usefixtures("seed")
def test_the_reports_drawings_have_alternate_text():
    pdf = read(REPORT.render(REPORT.records()).content)
    figures = elements(pdf, "/Figure")
    assert len(figures) == 3
    assert sorted(str(f.get("/Alt", "")) for f in figures) == sorted(
        [
            "委託構成図（モバイルレジクレジットによる納付）",
            "委託構成図（電子マネーによる納付）",
            "委託構成図（ペイジーによる納付）",
        ]
    )
    assert_pdfua(pdf)


@pytest.mark.django_db
def test_a_versions_mark_is_in_the_structure_tree():
    """The red mark sits in the page margin, which a reader skips as an artifact (WeasyPrint
    tags it outside the tree); the sheet carries the same words as its first paragraph."""
    ended = ConsignmentFactory(
        state=State.RETIRED,
        effective_from=dt.date(2019, 4, 1),
        effective_until=dt.date(2024, 3, 31),
    )
    approved = ConsignmentFactory()
    loaded = Consignment.objects.with_form_data()
    content = FORM2.render([loaded.get(pk=ended.pk)]).content
    with_mark = read(content)
    clean = read(FORM2.render([loaded.get(pk=approved.pk)]).content)
    assert len(elements(with_mark, "/P")) == len(elements(clean, "/P")) + 1
    assert marked_outside_the_tree(with_mark) == []
    assert all("廃止（令和6年3月31日まで）" in squeeze(text) for text in page_texts(content))
