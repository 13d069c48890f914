"""PDF/UA-1 on top of WeasyPrint's tagged PDF/A-2a (what the public register serves):
WeasyPrint tags tables, but leaves table headers without /Scope and data cells with an
empty /Headers, tags what a page margin shows outside the structure tree, and identifies
the file as PDF/A only. Applied to a tagged file before
it is saved; tests/printing/test_pdfua.py reads the structure back and
tests/printing/test_pdfua_validator.py runs a PDF/UA validator on every kind of form."""

import pikepdf

COLUMN, ROW = pikepdf.Name.Column, pikepdf.Name.Row

# The PDF/UA identification, and the schema it belongs to declared as a PDF/A extension
# schema: PDF/A-2 allows in XMP only the predefined schemas and the ones a file declares
# (ISO 19005-2 6.6.2.3), and pdfuaid is not predefined. As the PDF Association writes it.
PDFUA_XMP = b"""<rdf:Description rdf:about="" \
xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" \
xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" \
xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" \
xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">\
<pdfuaid:part>1</pdfuaid:part>\
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">\
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">\
<pdfaProperty:name>part</pdfaProperty:name>\
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>\
<pdfaProperty:category>internal</pdfaProperty:category>\
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed\
</pdfaProperty:description>\
</rdf:li></rdf:Seq></pdfaSchema:property>\
</rdf:li></rdf:Bag></pdfaExtension:schemas>\
</rdf:Description>"""
RDF_END = b"</rdf:RDF>"


def _kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _elements(pdf: pikepdf.Pdf):
    """Every structure element, depth first."""
    root = pdf.Root.get("/StructTreeRoot")
    stack = [] if root is None else _kids(root)
    while stack:
        element = stack.pop()
        if isinstance(element, pikepdf.Dictionary) and "/S" in element:
            yield element
            stack.extend(_kids(element))


def _scope(header) -> pikepdf.Name:
    """A header in the table's head, or in a row of headers only (a head row the HTML
    left in the body), names its column; one beside data cells names its row."""
    row = header.get("/P")
    if row is None:
        return ROW
    section = row.get("/P")
    if section is not None and section.get("/S") == pikepdf.Name.THead:
        return COLUMN
    cells = [kid for kid in _kids(row) if isinstance(kid, pikepdf.Dictionary)]
    if all(cell.get("/S") == pikepdf.Name.TH for cell in cells):
        return COLUMN
    return ROW


def _attributes(element) -> pikepdf.Dictionary:
    if "/A" not in element or not isinstance(element.A, pikepdf.Dictionary):
        element.A = pikepdf.Dictionary(O=pikepdf.Name.Table)
    return element.A


def _margins_as_artifacts(pdf: pikepdf.Pdf) -> None:
    """WeasyPrint tags what a page's margin box shows (a version's mark) with structure
    elements it links to no parent, as PDF 1.7 has no artifact element: content in no
    reader's reach, and no artifact either. It becomes an artifact, as the mark's border
    already is; the sheet carries the same words in its flow (printing/base.html)."""
    in_tree = {element.objgen for element in _elements(pdf)}
    pages = {int(page.obj.get("/StructParents", -1)): page for page in pdf.pages}
    numbers = pdf.Root.StructTreeRoot.ParentTree.Nums
    for key, parents in zip(numbers[::2], numbers[1::2], strict=True):
        if not isinstance(parents, pikepdf.Array):
            continue  # an annotation's parent, not a page's
        outside = {
            mcid
            for mcid, parent in enumerate(parents)
            if isinstance(parent, pikepdf.Dictionary) and parent.objgen not in in_tree
        }
        if not outside:
            continue
        page = pages[int(key)]
        instructions = []
        for instruction in pikepdf.parse_content_stream(page):
            if (
                isinstance(instruction, pikepdf.ContentStreamInstruction)
                and instruction.operator == pikepdf.Operator("BDC")
                and isinstance(instruction.operands[1], pikepdf.Dictionary)
                and instruction.operands[1].get("/MCID") in outside
            ):
                instruction = pikepdf.ContentStreamInstruction(
                    [pikepdf.Name.Artifact], pikepdf.Operator("BMC")
                )
            instructions.append(instruction)
        page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
        for mcid in outside:
            parents[mcid] = None


def _identify(pdf: pikepdf.Pdf) -> None:
    """Adds the PDF/UA identification to WeasyPrint's XMP packet, inside its one RDF
    element (pikepdf's metadata API writes single properties, not a schema's
    declaration)."""
    packet = pdf.Root.Metadata.read_bytes()
    if packet.count(RDF_END) != 1:
        raise ValueError("XMP メタデータの形式が想定と異なるため、PDF/UA の識別を書き込めません。")
    pdf.Root.Metadata.write(packet.replace(RDF_END, PDFUA_XMP + RDF_END))


def make_pdfua(pdf: pikepdf.Pdf) -> None:
    """Give the tagged `pdf` what PDF/UA-1 asks beyond PDF/A-2a, in place."""
    for element in _elements(pdf):
        if element.S == pikepdf.Name.TH:
            attributes = _attributes(element)
            if "/Scope" not in attributes:
                attributes.Scope = _scope(element)
        elif element.S == pikepdf.Name.TD and isinstance(element.get("/A"), pikepdf.Dictionary):
            headers = element.A.get("/Headers")
            if headers is not None and len(headers) == 0:
                del element.A["/Headers"]
    _margins_as_artifacts(pdf)
    # A reader shows the title, not the file name (PDF/UA-1 7.1).
    preferences = pdf.Root.get("/ViewerPreferences") or pikepdf.Dictionary()
    preferences.DisplayDocTitle = True
    pdf.Root.ViewerPreferences = preferences
    _identify(pdf)
