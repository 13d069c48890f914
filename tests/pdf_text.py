"""Reading the PDFs the tests produce: text, fonts, pages."""

import io

from pypdf import PdfReader


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
