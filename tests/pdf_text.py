"""Reading the PDFs the tests produce: text, fonts, pages."""

import io

import pikepdf
from defusedxml import ElementTree
from pypdf import PdfReader

RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
SCHEMA = "{http://www.aiim.org/pdfa/ns/schema#}"
# The schemas PDF/A-2 predefines that these files use: Dublin Core, XMP basic, Adobe PDF,
# PDF/A identification and the extension schema container.
PREDEFINED_XMP = {
    "http://purl.org/dc/elements/1.1/",
    "http://ns.adobe.com/xap/1.0/",
    "http://ns.adobe.com/pdf/1.3/",
    "http://www.aiim.org/pdfa/ns/id/",
    "http://www.aiim.org/pdfa/ns/extension/",
}


def reader(content: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(content))


def page_texts(content: bytes) -> list[str]:
    return [page.extract_text() for page in reader(content).pages]


def squeeze(text: str) -> str:
    """Text without any whitespace (including 　): the layout's line breaks and the
    spaces between spread label characters do not count."""
    return "".join(text.split())


def font_names(content: bytes) -> set[str]:
    names = set()
    for page in reader(content).pages:
        fonts = page["/Resources"].get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            names.add(str(font["/BaseFont"]))
            for descendant in font.get("/DescendantFonts", []):
                descendant = descendant.get_object()
                names.add(str(descendant["/BaseFont"]))
                descriptor = descendant["/FontDescriptor"].get_object()
                if "/FontFile2" in descriptor or "/FontFile3" in descriptor:
                    names.add("embedded:" + str(descendant["/BaseFont"]))
    return names


def undeclared_xmp_schemas(pdf: pikepdf.Pdf) -> set[str]:
    """The namespaces of XMP properties that are neither predefined nor declared as an
    extension schema in the packet: PDF/A-2 allows none (ISO 19005-2 6.6.2.3)."""
    rdf = ElementTree.fromstring(pdf.Root.Metadata.read_bytes()).find(f"{RDF}RDF")
    declared = {uri.text for uri in rdf.iter(f"{SCHEMA}namespaceURI")}
    used = set()
    for description in rdf.findall(f"{RDF}Description"):
        names = [*description.attrib, *(child.tag for child in description)]
        used |= {name[1:].split("}")[0] for name in names if not name.startswith(RDF)}
    return used - PREDEFINED_XMP - declared


def marked_outside_the_tree(pdf: pikepdf.Pdf) -> list[tuple[int, int]]:
    """(page, MCID) of the marked content no element of the structure tree reaches: no
    reader gets to it, and it is no artifact either (PDF/UA-1 7.1)."""
    numbers = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
    reached, pending = set(), [(pdf.Root.StructTreeRoot, None)]
    while pending:
        node, page = pending.pop()
        if isinstance(node, int):
            reached.add((page, node))
        elif isinstance(node, pikepdf.Dictionary):
            if "/Pg" in node:
                page = numbers[node.Pg.objgen]
            if node.get("/Type") == pikepdf.Name.MCR:
                reached.add((page, int(node.MCID)))
            kids = node.get("/K")
            pending += [
                (kid, page) for kid in (kids if isinstance(kids, pikepdf.Array) else [kids])
            ]
    marked = set()
    for n, page in enumerate(pdf.pages):
        for instruction in pikepdf.parse_content_stream(page, "BDC"):
            properties = instruction.operands[1]
            if isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties:
                marked.add((n, int(properties.MCID)))
    return sorted(marked - reached)
