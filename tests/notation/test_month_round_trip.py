"""Month notation reads back: format_month(parse_month(m)) == m for every month of every
era, in half and full width, and a 元年 month at an era's start resolves to the era named
(平成元年1月 is not 昭和64年1月; 明治元年1月 and 大正元年7月 are read)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notation import wareki
from notation.fullwidth import to_fullwidth_digits


def _months(era: wareki.Era) -> list[tuple[int, int]]:
    """(era year, month) for every month the era has: from the month it began to the
    month the next one began (the month two eras share), or 2100 for the current one."""
    last = wareki.last_year(era)
    end = (82, 12)
    if last:
        following = wareki.ERAS[wareki.ERAS.index(era) - 1].start
        # A month the next era began on its first day is that era's alone.
        end = (last, following.month if following.day > 1 else following.month - 1)
    return [
        (year, month)
        for year in range(1, end[0] + 1)
        for month in range(1, 13)
        if (year, month) >= (1, era.start.month) and (year, month) <= end
    ]


@st.composite
def era_months(draw) -> str:
    era = draw(st.sampled_from(wareki.ERAS))
    year, month = draw(st.sampled_from(_months(era)))
    return f"{era.name}{'元' if year == 1 else year}年{month}月"


@given(era_months(), st.booleans())
def test_every_month_of_every_era_reads_back(text, fullwidth):
    if fullwidth:
        text = to_fullwidth_digits(text)
    assert wareki.format_month(wareki.parse_month(text), fullwidth=fullwidth) == text


@pytest.mark.parametrize(
    ("text", "first_day"),
    [
        ("平成元年1月", dt.date(1989, 1, 8)),
        ("昭和64年1月", dt.date(1989, 1, 1)),
        ("明治元年1月", dt.date(1868, 1, 25)),
        ("大正元年7月", dt.date(1912, 7, 30)),
        ("明治45年7月", dt.date(1912, 7, 1)),
        ("令和元年5月", dt.date(2019, 5, 1)),
    ],
)
def test_a_month_two_eras_share_resolves_to_the_era_named(text, first_day):
    assert wareki.parse_month(text) == first_day
    assert wareki.format_month(first_day) == text


def test_a_full_date_typed_as_a_month_keeps_its_era():
    assert wareki.format_month(wareki.parse_month("平成元年1月8日")) == "平成元年1月"


def test_a_month_before_an_era_began_is_still_refused():
    with pytest.raises(wareki.WarekiError, match="始まりより前"):
        wareki.parse_month("令和元年4月")
