"""PDF/UA-1 on top of WeasyPrint's tagged PDF/A-2a (what the public register serves):
WeasyPrint tags tables, but leaves table headers without /Scope and data cells with an
empty /Headers, and identifies the file as PDF/A only. Applied to a tagged file before
it is saved; tests/printing/test_pdfua.py reads the structure back."""

import pikepdf

COLUMN, ROW = pikepdf.Name.Column, pikepdf.Name.Row


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
    """A header in the table's head names its column; one in a body row, its row."""
    row = header.get("/P")
    section = row.get("/P") if row is not None else None
    if section is not None and section.get("/S") == pikepdf.Name.THead:
        return COLUMN
    return ROW


def _attributes(element) -> pikepdf.Dictionary:
    if "/A" not in element or not isinstance(element.A, pikepdf.Dictionary):
        element.A = pikepdf.Dictionary(O=pikepdf.Name.Table)
    return element.A


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
    # A reader shows the title, not the file name (PDF/UA-1 7.1).
    preferences = pdf.Root.get("/ViewerPreferences") or pikepdf.Dictionary()
    preferences.DisplayDocTitle = True
    pdf.Root.ViewerPreferences = preferences
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["pdfuaid:part"] = "1"
