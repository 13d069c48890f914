"""Many PDF/A files into one PDF/A-2b file, each font embedded once.

Every rendered form embeds its own subset of IPAex Mincho (about 60 KB); copied page by
page, a 1,000-form batch would carry a thousand copies of mostly the same glyphs.
WeasyPrint subsets with the original glyph ids kept (CIDs are glyph ids), so the subsets
of one font are interchangeable once merged: the batch gets one font with the union of
the glyphs, widths and text mappings, and every page points at it. Fonts other than
TrueType ones (a CFF fallback, rarely used) are copied as they are.
"""

import datetime as dt
import hashlib
import io
import re
import string
from collections.abc import Callable, Iterable
from typing import IO

import pikepdf
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_l_y_f import Glyph
from pikepdf import Array, Dictionary, Name

PDF_VERSION = "1.7"
BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


def _widths(w: Array) -> dict[int, float]:
    """A CIDFont's /W array ([c [w1 w2 …]] or [c_first c_last w]) as {cid: width}."""
    items = list(w)
    widths: dict[int, float] = {}
    i = 0
    while i < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], Array):
            for offset, width in enumerate(items[i + 1]):
                widths[first + offset] = float(width)
            i += 2
        else:
            for cid in range(first, int(items[i + 1]) + 1):
                widths[cid] = float(items[i + 2])
            i += 3
    return widths


def _to_unicode(cmap: bytes) -> dict[int, bytes]:
    """{cid: UTF-16BE hex} from a ToUnicode CMap's bfchar and bfrange blocks."""
    mapping: dict[int, bytes] = {}
    for block in BFCHAR.findall(cmap):
        values = HEX.findall(block)
        for source, target in zip(values[::2], values[1::2], strict=True):
            mapping[int(source, 16)] = target
    for block in BFRANGE.findall(cmap):
        values = HEX.findall(block)
        for low, high, target in zip(values[::3], values[1::3], values[2::3], strict=True):
            start = int(target, 16)
            for offset, cid in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping[cid] = f"{start + offset:0{len(target)}X}".encode()
    return mapping


def _cmap_stream(mapping: dict[int, bytes]) -> bytes:
    lines = [
        b"/CIDInit /ProcSet findresource begin",
        b"12 dict begin",
        b"begincmap",
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        b"/CMapName /Adobe-Identity-UCS def",
        b"/CMapType 2 def",
        b"1 begincodespacerange",
        b"<0000> <ffff>",
        b"endcodespacerange",
    ]
    cids = sorted(mapping)
    for start in range(0, len(cids), 100):  # a CMap block holds at most 100 entries
        block = cids[start : start + 100]
        lines.append(f"{len(block)} beginbfchar".encode())
        lines += [b"<%04x> <%s>" % (cid, mapping[cid]) for cid in block]
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


def _width_array(widths: dict[int, float]) -> Array:
    """{cid: width} as a /W array, consecutive CIDs sharing one entry."""
    array: list = []
    run: list[float] = []
    first = previous = None
    for cid in sorted(widths):
        if previous is not None and cid == previous + 1:
            run.append(widths[cid])
        else:
            if run:
                array += [first, Array(run)]
            first, run = cid, [widths[cid]]
        previous = cid
    if run:
        array += [first, Array(run)]
    return Array(array)


class _MergedFont:
    """The union of the subsets of one TrueType font met in the batch."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pdf = pdf
        self.font: TTFont | None = None
        self.widths: dict[int, float] = {}
        self.unicode: dict[int, bytes] = {}
        self.template: Dictionary | None = None
        self.seen_widths: set[bytes] = set()
        self.seen_unicode: set[bytes] = set()

    def add(self, font: Dictionary) -> None:
        descendant = font.DescendantFonts[0]
        # Forms printed from one template mostly repeat a subset: compare the raw arrays
        # and streams before parsing anything.
        raw_widths = descendant.W.unparse()
        if raw_widths not in self.seen_widths:
            self.seen_widths.add(raw_widths)
            widths = _widths(descendant.W)
            new = widths.keys() - self.widths.keys()
            self.widths.update(widths)
            if new:
                self._add_glyphs(descendant.FontDescriptor.FontFile2.read_bytes(), new)
        if "/ToUnicode" in font:
            raw_unicode = font.ToUnicode.read_bytes()
            if raw_unicode not in self.seen_unicode:
                self.seen_unicode.add(raw_unicode)
                self.unicode.update(_to_unicode(raw_unicode))
        if self.template is None:
            # The merged file's own copy: the part it came from is closed before the end.
            self.template = self.pdf.copy_foreign(font)
            _own_streams(self.template)

    def _add_glyphs(self, data: bytes, gids: set[int]) -> None:
        subset = TTFont(io.BytesIO(data))
        if self.font is None:
            self.font = subset
            return
        # Subsets keep glyph ids but not names: names are the merged font's own, looked
        # up by id, components of composite glyphs included.
        order = list(self.font.getGlyphOrder())
        source_order = subset.getGlyphOrder()
        metrics = [t for t in ("hmtx", "vmtx") if t in self.font and t in subset]
        if len(source_order) > len(order):
            for gid in range(len(order), len(source_order)):
                order.append(f"gid{gid}")
                self.font["glyf"].glyphs[order[gid]] = Glyph()
                for table in metrics:
                    self.font[table].metrics[order[gid]] = (0, 0)
            self.font.setGlyphOrder(order)
            self.font["glyf"].glyphOrder = order
        pending = [gid for gid in gids if gid < len(source_order)]
        copied: set[int] = set()
        while pending:
            gid = pending.pop()
            if gid in copied:
                continue
            copied.add(gid)
            glyph = subset["glyf"][source_order[gid]]
            if glyph.isComposite():
                for component in glyph.components:
                    component_gid = subset.getGlyphID(component.glyphName)
                    component.glyphName = order[component_gid]
                    pending.append(component_gid)
            self.font["glyf"][order[gid]] = glyph
            for table in metrics:
                self.font[table][order[gid]] = subset[table][source_order[gid]]

    def build(self) -> Dictionary:
        """One Type0 font for the whole batch, modelled on the first subset's."""
        assert self.font is not None and self.template is not None
        data = io.BytesIO()
        self.font.save(data)
        descendant = self.template.DescendantFonts[0]
        base = str(self.template.BaseFont).split("+", 1)[-1]
        # A subset's name starts with six capital letters naming the subset.
        digest = hashlib.sha256(repr(sorted(self.widths)).encode()).digest()
        tag = "".join(string.ascii_uppercase[b % 26] for b in digest[:6])
        descriptor = Dictionary(
            {key: descendant.FontDescriptor[key] for key in descendant.FontDescriptor}
        )
        descriptor.FontName = Name(f"/{tag}+{base}")
        descriptor.FontFile2 = pikepdf.Stream(self.pdf, data.getvalue())
        new_descendant = Dictionary({key: descendant[key] for key in descendant})
        new_descendant.BaseFont = Name(f"/{tag}+{base}")
        new_descendant.FontDescriptor = self.pdf.make_indirect(descriptor)
        new_descendant.W = _width_array(self.widths)
        font = Dictionary({key: self.template[key] for key in self.template})
        font.BaseFont = Name(f"/{tag}+{base}")
        font.DescendantFonts = Array([self.pdf.make_indirect(new_descendant)])
        if self.unicode:
            font.ToUnicode = pikepdf.Stream(self.pdf, _cmap_stream(self.unicode))
        return self.pdf.make_indirect(font)


def _font_key(font: Dictionary) -> str | None:
    """The font a subset was cut from, when it can be merged (TrueType, glyph ids kept)."""
    if font.get("/Subtype") != "/Type0" or "/DescendantFonts" not in font:
        return None
    descendant = font.DescendantFonts[0]
    if descendant.get("/CIDToGIDMap") != "/Identity" or "/W" not in descendant:
        return None
    if "/FontFile2" not in descendant.FontDescriptor:
        return None
    return str(font.BaseFont).split("+", 1)[-1]


def _own_streams(obj: pikepdf.Object, seen: set | None = None) -> None:
    """Give every stream reachable from obj (not through /Parent) its data as it is in
    the source (still encoded), so nothing reads from the source any more."""
    seen = set() if seen is None else seen
    if not isinstance(obj, (Dictionary, Array, pikepdf.Stream)):
        return  # names, numbers and strings hold no stream
    if obj.is_indirect:
        if obj.objgen in seen:
            return
        seen.add(obj.objgen)
    if isinstance(obj, pikepdf.Stream):
        filters = obj.get("/Filter")
        obj.write(obj.read_raw_bytes(), filter=filters, decode_parms=obj.get("/DecodeParms"))
    if isinstance(obj, (Dictionary, pikepdf.Stream)):
        for key, value in obj.items():
            if key != "/Parent":
                _own_streams(value, seen)
    elif isinstance(obj, Array):
        for item in obj:
            _own_streams(item, seen)


def _profile(merged: pikepdf.Pdf, source: pikepdf.Stream) -> pikepdf.Stream:
    """The merged file's copy of an ICC profile: the output intent's when it is the same
    (WeasyPrint uses one profile for both), else a new one."""
    data = source.read_raw_bytes()
    for intent in merged.Root.get("/OutputIntents", []):
        profile = intent.get("/DestOutputProfile")
        if profile is not None and profile.read_raw_bytes() == data:
            return profile
    profile = pikepdf.Stream(merged, data)
    for key, value in source.items():
        if key != "/Length":
            profile[key] = value
    return profile


def merge_pdfs(
    parts: Iterable[bytes],
    target: IO[bytes],
    *,
    title: Callable[[int], str],
    author: str,
    language: str,
) -> int:
    """Write the pages of `parts` (PDF/A files from printing.render) as one PDF/A-2b file
    into `target`, titled `title(number of parts)`. Returns the number of pages."""
    merged = pikepdf.new()
    fonts: dict[str, _MergedFont] = {}
    uses: list[tuple[Dictionary, str, str]] = []
    profile: pikepdf.Stream | None = None
    count = 0
    for part in parts:
        count += 1
        with pikepdf.open(io.BytesIO(part)) as source:
            if "/OutputIntents" not in merged.Root and "/OutputIntents" in source.Root:
                # The output intent (the sRGB profile) is the same in every part.
                intents = source.make_indirect(source.Root.OutputIntents)
                merged.Root.OutputIntents = merged.copy_foreign(intents)
                _own_streams(merged.Root.OutputIntents)
            merged_fonts: list[list[tuple[str, str]]] = []
            merged_spaces: set[str] = set()
            for page in source.pages:
                # The structure tree of a tagged part is not carried over (level B):
                # nothing may point at it.
                if "/StructParents" in page.obj:
                    del page.obj["/StructParents"]
                resources = page.obj.get("/Resources", {})
                # Fonts to merge and the sRGB profile (2.5 KB, the same in every part)
                # are left behind; one copy of each serves every page.
                spaces = resources.get("/ColorSpace", {})
                for name, space in list(spaces.items()):
                    if isinstance(space, Array) and len(space) == 2 and space[0] == "/ICCBased":
                        if profile is None:
                            profile = _profile(merged, space[1])
                        del spaces[name]
                        merged_spaces.add(name)
                page_fonts = resources.get("/Font", {})
                page_merged = []
                for name, font in page_fonts.items():
                    # Pages of one part may share their resources: met once is enough.
                    key = _font_key(font) if isinstance(font, Dictionary) else None
                    if key is not None:
                        fonts.setdefault(key, _MergedFont(merged)).add(font)
                        page_merged.append((name, key))
                for name, _ in page_merged:
                    del page_fonts[name]
                merged_fonts.append(page_merged)
            first = len(merged.pages)
            merged.pages.extend(source.pages)
            # Copied pages read their streams from the source until the file is written:
            # owning them lets the source go now, so memory stays flat in long batches.
            for page, page_merged in zip(merged.pages[first:], merged_fonts, strict=True):
                resources = page.obj.get("/Resources", {})
                for name in merged_spaces:
                    resources.ColorSpace[name] = Array([Name.ICCBased, profile])
                uses += [(resources.Font, name, key) for name, key in page_merged]
                _own_streams(page.obj)
    built = {key: merged_font.build() for key, merged_font in fonts.items()}
    for page_fonts, name, key in uses:
        page_fonts[name] = built[key]

    merged.Root.Lang = pikepdf.String(language)
    with merged.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["pdfaid:part"] = "2"
        meta["pdfaid:conformance"] = "B"
        meta["dc:title"] = title(count)
        meta["dc:creator"] = [author]
        meta["xmp:CreateDate"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        meta["pdf:Producer"] = f"pikepdf {pikepdf.__version__}"
    merged.save(
        target,
        min_version=PDF_VERSION,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        compress_streams=True,
    )
    return len(merged.pages)
