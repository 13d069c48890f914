"""One escaping rule for formula-like text, the same in CSV and xlsx, undone on import."""

import io

import openpyxl
import pytest
import tablib

from exchange.escaping import escape_cell, unescape_cell
from exchange.spreadsheets import SpreadsheetCSV, SpreadsheetXLSX, read_csv, read_xlsx
from notation.jis import to_jis_x_0208

FORMULA_LIKE = [
    "=1+1",
    "+81 3",
    "-5",
    "@SUM(A1)",
    "\tタブ",
    "\r改行",
    "＝1+1",
    "＋81",
    "－1",
    "＠メール",
    "\u22121",
    "'=1+1",
    "''",
    "'",
    "'03",
]
PLAIN = ["株式会社ネリマＤＸソリューションズ", "-", "\u2212", "", "ｶﾌﾞｼｷｶﾞｲｼｬ", "1=1"]


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_formula_like_text_gets_one_apostrophe_and_loses_it_again(text):
    assert escape_cell(text) == "'" + text
    assert unescape_cell(escape_cell(text)) == text


@pytest.mark.parametrize("text", PLAIN)
def test_other_text_is_written_and_read_as_it_is(text):
    assert escape_cell(text) == text
    assert unescape_cell(text) == text


def test_an_apostrophe_a_clerk_typed_before_plain_text_is_kept_on_import():
    assert unescape_cell("'03") == "'03"
    assert unescape_cell("'=1") == "=1"


def test_numbers_and_dates_are_not_text_and_pass_through():
    assert escape_cell(-5) == -5
    assert unescape_cell(3.0) == 3.0


def _dataset() -> tablib.Dataset:
    dataset = tablib.Dataset(headers=["名称"])
    for text in FORMULA_LIKE + PLAIN:
        dataset.append([text])
    return dataset


def test_the_csv_and_the_xlsx_hold_the_same_cells():
    csv_cells = [
        row[0]
        for row in tablib.Dataset().load(
            SpreadsheetCSV().export_data(_dataset()).decode("utf-8-sig"), format="csv"
        )
    ]
    sheet = openpyxl.load_workbook(io.BytesIO(SpreadsheetXLSX().export_data(_dataset()))).active
    xlsx_cells = [row[0] or "" for row in sheet.iter_rows(min_row=2, values_only=True)]
    # The CSV reader turns \r into a line end; everything else must agree cell by cell.
    assert [c.replace("\r", "\n") for c in xlsx_cells] == [c.replace("\r", "\n") for c in csv_cells]
    assert "'＝1+1" in xlsx_cells and "'=1+1" in xlsx_cells
    assert all(
        cell.data_type == "s" for row in sheet.iter_rows(min_row=2) for cell in row if cell.value
    )


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_both_files_read_back_to_what_was_written(file_format):
    if file_format == "csv":
        back = read_csv(SpreadsheetCSV().export_data(_dataset()))
    else:
        back = read_xlsx(SpreadsheetXLSX().export_data(_dataset()))
    # Exports hold text as stored: Windows' full-width minus as the JIS X 0208 one.
    expected = [to_jis_x_0208(text) for text in FORMULA_LIKE + PLAIN if text]
    read = [row[0] for row in back]
    assert [t.replace("\r", "\n") for t in read] == [t.replace("\r", "\n") for t in expected]
