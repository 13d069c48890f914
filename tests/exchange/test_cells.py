"""How single cells from other wards' sheets are read."""

import datetime as dt

import pytest

from exchange.resources import TickWidget, WarekiDateWidget, normalise_header, split_list
from registry.resources import normalise_business_number


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("平成31年4月1日", dt.date(2019, 4, 1)),
        ("平成３１年４月１日", dt.date(2019, 4, 1)),
        ("H31.4.1", dt.date(2019, 4, 1)),
        ("R2.1.1", dt.date(2020, 1, 1)),
        ("平成32年1月1日", dt.date(2020, 1, 1)),
        ("令和元年5月1日", dt.date(2019, 5, 1)),
        ("2020/1/1", dt.date(2020, 1, 1)),
        (dt.datetime(2019, 4, 1, 0, 0), dt.date(2019, 4, 1)),
        (43556, dt.date(2019, 4, 1)),  # Excel's serial number for 2019-04-01
        (43556.0, dt.date(2019, 4, 1)),
        ("", None),
        (None, None),
    ],
)
def test_it_reads_dates_in_every_usual_notation(cell, expected):
    assert WarekiDateWidget().clean(cell) == expected


def test_it_reads_a_month_cell_as_the_first_of_the_month():
    widget = WarekiDateWidget(month_only=True)
    assert widget.clean("令和2年1月") == dt.date(2020, 1, 1)
    assert widget.clean("R2.1") == dt.date(2020, 1, 1)
    assert widget.clean(dt.datetime(2020, 1, 15)) == dt.date(2020, 1, 1)
    assert widget.render(dt.date(2020, 1, 1)) == "令和2年1月"


@pytest.mark.parametrize("cell", ["平成0年4月1日", "令和1年13月1日", "令和2年2月30日", -5, "昨日"])
def test_it_refuses_impossible_dates(cell):
    with pytest.raises(ValueError):
        WarekiDateWidget().clean(cell)


@pytest.mark.parametrize("cell", ["■", "○", "◯", "✓", "✔", "1", 1, "はい", "ｙｅｓ", True])
def test_it_reads_ticked_boxes(cell):
    assert TickWidget().clean(cell) is True


@pytest.mark.parametrize("cell", ["□", "", None, "0", 0, "いいえ", "×", "ー", False])
def test_it_reads_empty_boxes(cell):
    assert TickWidget().clean(cell) is False


def test_it_refuses_a_mark_that_is_neither():
    with pytest.raises(ValueError, match="■（あり）か □（なし）"):
        TickWidget().clean("済")


@pytest.mark.parametrize(
    "cell", ["0404-01", "０４０４－０１", "０４０４―０１", "0404ー01", " 0404‐01 "]
)
def test_it_normalises_full_width_business_numbers(cell):
    assert normalise_business_number(cell) == "0404-01"


def test_it_matches_headers_with_half_width_brackets_and_spaces():
    assert normalise_header("委託期間 (開始)") == normalise_header("委託期間（開始）")
    assert normalise_header("授受の形態:電算処理") == normalise_header("授受の形態：電算処理")


def test_it_splits_lists_on_commas_and_line_breaks():
    assert split_list("税目、納付書番号\n確認番号,\n") == ["税目", "納付書番号", "確認番号"]


def test_it_keeps_an_item_whole_when_its_brackets_hold_a_comma():
    assert split_list("車両番号（標板番号、分類番号）、車台番号、登録年月日／交付年月日") == [
        "車両番号（標板番号、分類番号）",
        "車台番号",
        "登録年月日／交付年月日",
    ]
