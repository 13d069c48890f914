"""Reading uploaded spreadsheets safely, and writing registers out as Excel or CSV.

Caps come from settings (IMPORT_MAX_FILE_SIZE, IMPORT_MAX_UNPACKED_SIZE, IMPORT_MAX_ROWS,
IMPORT_MAX_SHARED_STRINGS, IMPORT_MAX_CELLS) and are checked before a file is parsed: a
50 MB upload, a workbook whose parts unpack to gigabytes, millions of tiny shared strings
or cells, or a million-row sheet is refused early. XML inside workbooks is parsed by
openpyxl through defusedxml (no entity expansion), and every row in a sheet is read
whatever size the sheet declares.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterable
from typing import Any

import tablib
from django.conf import settings
from import_export.formats import base_formats

from exchange.escaping import escape_cell, unescape_cell
from notation.jis import to_jis_x_0208


class ImportFileError(ValueError):
    """A file that cannot be imported at all, with a Japanese message for the user."""


# --- limits ---------------------------------------------------------------------------


def check_file_size(size: int) -> None:
    limit = settings.IMPORT_MAX_FILE_SIZE
    if size > limit:
        raise ImportFileError(
            f"ファイルが大きすぎます（{_megabytes(size)}）。"
            f"取り込めるのは {_megabytes(limit)} までです。ファイルを分けてください。"
        )


def check_row_count(rows: int) -> None:
    limit = settings.IMPORT_MAX_ROWS
    if rows > limit:
        raise ImportFileError(
            f"行数が多すぎます（{rows:,}行以上）。一度に取り込めるのは {limit:,}行までです。"
            "ファイルを分けてください。"
        )


def check_unpacked_size(data: bytes) -> None:
    """A workbook is a zip: refuse one whose parts would unpack to more than
    IMPORT_MAX_UNPACKED_SIZE before any part is decompressed (a "zip bomb" of a few MB can
    unpack to gigabytes). Sizes come from the zip's directory; a part that lies about its
    size fails later when zipfile checks the length it really produced."""
    limit = settings.IMPORT_MAX_UNPACKED_SIZE
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip: the reader below refuses it with its own message
    if total > limit:
        raise ImportFileError(
            f"Excel ファイルの中身が大きすぎます（展開すると {_megabytes(total)}）。"
            f"取り込めるのは展開後 {_megabytes(limit)} までです。ファイルを分けてください。"
        )


# A shared string (<si>) and a cell (<c>) as they open in the XML, with any namespace
# prefix; counted in the raw bytes of the zip parts, so nothing is built to count them.
_SHARED_STRING = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,15}:)?si[\s/>]")
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,15}:)?c[\s/>]")
_LONGEST_TAG = 24  # bytes: a match never spans more than this


def check_workbook_counts(data: bytes) -> None:
    """Refuse a workbook with more than IMPORT_MAX_SHARED_STRINGS shared strings or more
    than IMPORT_MAX_CELLS cells before openpyxl builds any of it. A file of a hundred
    kilobytes can hold millions of tiny shared strings or cells, each of which openpyxl
    would turn into a Python object: the parts are streamed from the zip a megabyte at a
    time, tags counted in C (a regular expression) and the count stops at the cap."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip: openpyxl refuses it with its own message
    with archive:
        cells = 0
        for info in archive.infolist():
            name = info.filename.lower()
            if name.endswith("sharedstrings.xml"):
                limit = settings.IMPORT_MAX_SHARED_STRINGS
                if _count(archive, info, _SHARED_STRING, limit) > limit:
                    raise ImportFileError(
                        f"Excel ファイルの文字列が多すぎます（{limit:,}個を超えています）。"
                        f"取り込めるのは {limit:,}個までです。ファイルを分けてください。"
                    )
            elif name.startswith("xl/worksheets/") and name.endswith(".xml"):
                limit = settings.IMPORT_MAX_CELLS
                cells += _count(archive, info, _CELL, limit - cells)
                if cells > limit:
                    raise ImportFileError(
                        f"Excel ファイルのセルが多すぎます（{limit:,}個を超えています）。"
                        f"一度に取り込めるのは {limit:,}個までです。ファイルを分けてください。"
                    )


def _count(archive: zipfile.ZipFile, info: zipfile.ZipInfo, tag: re.Pattern, cap: int) -> int:
    """How many times `tag` opens in a part, stopping once past `cap`. A tag cut by a
    chunk's end is counted with the next chunk (the last bytes are carried over)."""
    count = 0
    carry = b""
    try:
        with archive.open(info) as part:
            while chunk := part.read(1024 * 1024):
                buffer = carry + chunk
                edge = len(buffer) - _LONGEST_TAG
                count += sum(1 for match in tag.finditer(buffer) if match.start() < edge)
                carry = buffer[max(edge, 0) :]
                if count > cap:
                    return count
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return count  # a broken part: openpyxl refuses the file with its own message
    return count + len(tag.findall(carry))


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


# --- reading --------------------------------------------------------------------------


def _dataset(headers: list[Any], rows) -> tablib.Dataset:
    names = ["" if header is None else str(header).strip() for header in headers]
    while names and not names[-1]:
        names.pop()
    if not any(names):
        raise ImportFileError(
            "1行目に列の見出しがありません。書き出したファイルの形にしてください。"
        )
    dataset = tablib.Dataset(headers=names)
    max_cells = settings.IMPORT_MAX_CELLS
    for count, row in enumerate(rows, start=1):
        values = ["" if value is None else value for value in list(row)[: len(names)]]
        if all(str(value).strip() == "" for value in values):
            continue
        if count > settings.IMPORT_MAX_ROWS:
            check_row_count(count)
        if count * len(names) > max_cells:
            raise ImportFileError(
                f"セルが多すぎます（{len(names)}列 × {count:,}行）。一度に取り込めるのは "
                f"{max_cells:,}個までです。ファイルを分けてください。"
            )
        dataset.append(values + [""] * (len(names) - len(values)))
    return dataset


def read_xlsx(data: bytes) -> tablib.Dataset:
    import openpyxl

    check_unpacked_size(data)
    check_workbook_counts(data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # whatever a broken or hostile file raises
        raise ImportFileError(_UNREADABLE_XLSX) from error
    try:
        sheet = book.active
        # The sheet's declared size: refused before any row is read.
        if sheet.max_row:
            check_row_count(sheet.max_row - 1)
        # The declared size may also be too small: forget it, so every row is read (the
        # row cap is checked while reading).
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        headers = next(rows, None)
        if headers is None:
            raise ImportFileError("シートが空です。")
        return _dataset(list(headers), ([unescape_cell(cell) for cell in row] for row in rows))
    except ImportFileError:
        raise
    except Exception as error:  # XML refused by defusedxml, a part that lies about its size
        raise ImportFileError(_UNREADABLE_XLSX) from error
    finally:
        book.close()


_UNREADABLE_XLSX = (
    "Excel ファイル（.xlsx）として読めません。Excel で「Excel ブック (*.xlsx)」として"
    "保存し直すか、形式に CSV を選んでください。"
)


def read_csv(data: bytes) -> tablib.Dataset:
    if b"\x00" in data[:8192]:
        raise ImportFileError(
            "CSV ファイルとして読めません（文字のファイルではありません）。形式を確かめてください。"
        )
    # Excel on Japanese Windows saves CSV in Shift_JIS (cp932); newer versions in UTF-8.
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(
            "CSV の文字コードを判別できません。UTF-8 か Shift_JIS で保存してください。"
        )
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        headers = next(reader, None)
        if headers is None:
            raise ImportFileError("ファイルが空です。")
        return _dataset(headers, ([unescape_cell(cell) for cell in row] for row in reader))
    except csv.Error as error:
        raise ImportFileError(f"CSV ファイルとして読めません（{error}）。") from None


class SpreadsheetCSV(base_formats.CSV):
    """CSV read as bytes (UTF-8 or Shift_JIS) and written with a BOM so Excel shows the
    Japanese headers correctly when the file is double-clicked."""

    def is_binary(self) -> bool:
        return True

    def get_read_mode(self) -> str:
        return "rb"

    def create_dataset(self, in_stream, **kwargs) -> tablib.Dataset:
        if isinstance(in_stream, str):
            in_stream = in_stream.encode()
        return read_csv(in_stream)

    def export_data(self, dataset, **kwargs) -> bytes:
        return self.write_rows(dataset.title, dataset.headers, dataset)

    def write_rows(self, title: str | None, headers: list, rows: Iterable) -> bytes:
        return write_csv(headers, rows)


class SpreadsheetXLSX(base_formats.XLSX):
    def create_dataset(self, in_stream) -> tablib.Dataset:
        return read_xlsx(in_stream)

    def export_data(self, dataset, **kwargs) -> bytes:
        return self.write_rows(dataset.title, dataset.headers, dataset)

    def write_rows(self, title: str | None, headers: list, rows: Iterable) -> bytes:
        return write_xlsx_rows(title, headers, rows)


def _exported(value: Any) -> Any:
    """A cell as exported: text with JIS X 0208 code points for Windows' look-alikes, so
    a strict JIS conversion of the file succeeds (rows saved before the rule included)."""
    return to_jis_x_0208(value) if isinstance(value, str) else value


def write_csv(headers: list, rows: Iterable) -> bytes:
    """The register as CSV (Python's csv module, as tablib writes it), every cell escaped
    (exchange.escaping) and in JIS X 0208 code points."""
    stream = io.StringIO()
    writer = csv.writer(stream)
    if headers:
        writer.writerow(headers)
    writer.writerows([escape_cell(_exported(value)) for value in row] for row in rows)
    return stream.getvalue().encode("utf-8-sig")


def write_xlsx_rows(title: str | None, headers: list, rows: Iterable) -> bytes:
    """The register as a workbook. Text is stored as text, never as a formula, and
    escaped like a CSV cell (exchange.escaping), so both files of one register hold the
    same cells and user text cannot run in the reader's Excel. Rows are streamed into a
    write-only workbook: openpyxl keeps no cell objects for the whole sheet."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    rows = list(rows)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(_sheet_title(title))
    sheet.freeze_panes = "A2"
    # The sheet's declared size, as a full workbook declares it: the import refuses an
    # oversized file from it before reading a row. openpyxl's writer asks the sheet for
    # it, which only a full worksheet can compute.
    width = max([len(headers or []), *(len(row) for row in rows), 1])
    size = f"A1:{get_column_letter(width)}{len(rows) + 1}"
    sheet.calculate_dimension = lambda: size
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")

    def styled_text(text: str, *, font=None, alignment=None) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"  # "#N/A" too is text, not Excel's error value
        if font:
            cell.font = font
        if alignment:
            cell.alignment = alignment
        return cell

    sheet.append([styled_text(str(header), font=bold) for header in headers or []])
    errors = frozenset(ERROR_CODES)
    # Each distinct text is converted once: most cells repeat (■, □, a section's name).
    converted: dict[str, str] = {}
    for row in rows:
        cells = list(row)
        for column, value in enumerate(cells):
            if isinstance(value, str):
                text = converted.get(value)
                if text is None:
                    # JIS X 0208 code points, no control character XML cannot hold, escaped.
                    text = escape_cell(ILLEGAL_CHARACTERS_RE.sub("", to_jis_x_0208(value)))
                    converted[value] = text
                if not text:
                    text = None  # an empty cell, left out of the file
                elif "\n" in text or text in errors:
                    text = styled_text(text, alignment=wrap if "\n" in text else None)
                cells[column] = text
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str | None) -> str | None:
    if not title:
        return None  # openpyxl's "Sheet"
    # Excel's limits on a sheet's name: 31 characters, none of []:*?/\
    return re.sub(r"[\[\]:*?/\\]", "", title)[:31] or "台帳"


FORMATS = {"xlsx": SpreadsheetXLSX, "csv": SpreadsheetCSV}


def format_key(file_format) -> str:
    return next(key for key, cls in FORMATS.items() if isinstance(file_format, cls))


def read_file(data: bytes, file_format: str) -> tablib.Dataset:
    check_file_size(len(data))
    return FORMATS[file_format]().create_dataset(data)
