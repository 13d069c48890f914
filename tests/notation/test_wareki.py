import datetime as dt

import pytest

from notation import wareki


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("平成31年4月1日", dt.date(2019, 4, 1)),
        ("平成３１年４月１日", dt.date(2019, 4, 1)),
        ("平成32年1月1日", dt.date(2020, 1, 1)),
        ("令和2年1月1日", dt.date(2020, 1, 1)),
        ("令和元年5月1日", dt.date(2019, 5, 1)),
        ("平成31年5月1日", dt.date(2019, 5, 1)),
        ("H31.4.1", dt.date(2019, 4, 1)),
        ("R2.1.1", dt.date(2020, 1, 1)),
        ("r2/1/1", dt.date(2020, 1, 1)),
        ("昭和64年1月7日", dt.date(1989, 1, 7)),
        ("平成元年1月8日", dt.date(1989, 1, 8)),
        ("2019-04-01", dt.date(2019, 4, 1)),
        ("2019/4/1", dt.date(2019, 4, 1)),
        ("２０１９年４月１日", dt.date(2019, 4, 1)),
    ],
)
def test_it_reads_era_and_gregorian_dates(typed, expected):
    assert wareki.parse_date(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("平成0年1月1日", "平成0年という年はありません。"),
        ("令和1年13月1日", "存在しない日付"),
        ("令和元年4月30日", "令和の始まり"),
        ("平成元年1月7日", "平成の始まり"),
        ("2019-02-30", "存在しない日付"),
        ("来年の春", "日付として読めません"),
    ],
)
def test_it_refuses_impossible_dates_with_a_japanese_message(typed, message):
    with pytest.raises(wareki.WarekiError, match=message):
        wareki.parse_date(typed)


@pytest.mark.parametrize(
    ("date", "plain", "printed"),
    [
        (dt.date(2019, 4, 1), "平成31年4月1日", "平成３１年４月１日"),
        (dt.date(2019, 5, 1), "令和元年5月1日", "令和元年５月１日"),
        (dt.date(2020, 1, 1), "令和2年1月1日", "令和２年１月１日"),
        (dt.date(1989, 1, 7), "昭和64年1月7日", "昭和６４年１月７日"),
        (dt.date(2006, 1, 25), "平成18年1月25日", "平成１８年１月２５日"),
    ],
)
def test_it_shows_dates_in_the_era(date, plain, printed):
    assert wareki.format_date(date) == plain
    assert wareki.format_date(date, fullwidth=True) == printed


def test_it_reads_and_shows_a_year_and_month():
    assert wareki.parse_month("平成32年1月") == dt.date(2020, 1, 1)
    assert wareki.parse_month("R2.1") == dt.date(2020, 1, 1)
    assert wareki.parse_month("2020-01") == dt.date(2020, 1, 1)
    assert wareki.format_month(dt.date(2020, 1, 1), fullwidth=True) == "令和２年１月"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("平成100年1月1日", "平成100年という年はありません。平成は31年（令和元年）までです。"),
        ("H37.4.1", "平成37年という年はありません。"),
        ("昭和70年1月1日", "昭和は64年（平成元年）までです。平成で入力してください。"),
    ],
)
def test_a_year_far_past_its_era_is_refused(typed, message):
    with pytest.raises(wareki.WarekiError, match=message):
        wareki.parse_date(typed)
    with pytest.raises(wareki.WarekiError, match=message):
        wareki.parse_month(typed.rsplit("1日", 1)[0] if "日" in typed else typed)


@pytest.mark.parametrize("typed", ["平成32年1月1日", "平成36年12月31日", "昭和69年1月1日"])
def test_a_year_a_few_past_its_era_is_carried_on(typed):
    assert wareki.parse_date(typed).year == int(typed[2:4]) + {"平": 1988, "昭": 1925}[typed[0]]


def test_the_current_era_has_no_last_year():
    assert wareki.last_year(wareki.ERAS[0]) is None
    assert wareki.last_year(wareki.ERAS[1]) == 31
