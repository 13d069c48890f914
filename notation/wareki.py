"""Japanese era dates (和暦): parsing what staff type, formatting what forms print.

Era boundaries are the first day of each era. A year written a few years past the end of
an era is accepted and carried on (平成32年 = 2020 = 令和2年): forms printed before an era
change keep being filled in that way. A year more than ERA_GRACE_YEARS past the era's
last year (平成100年) is a typo and refused, as is a date before the era began.
"""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from notation.fullwidth import to_fullwidth_digits


@dataclass(frozen=True)
class Era:
    name: str
    letter: str
    start: dt.date


ERAS = (
    Era("令和", "R", dt.date(2019, 5, 1)),
    Era("平成", "H", dt.date(1989, 1, 8)),
    Era("昭和", "S", dt.date(1926, 12, 25)),
    Era("大正", "T", dt.date(1912, 7, 30)),
    Era("明治", "M", dt.date(1868, 1, 25)),
)
# How many years past its last year an era's years are still carried on.
ERA_GRACE_YEARS = 5
_BY_NAME = {era.name: era for era in ERAS} | {era.letter: era for era in ERAS}

_ERA_DATE = re.compile(
    r"^(?P<era>令和|平成|昭和|大正|明治|[RHSTM])\s*(?P<year>元|\d{1,3})\s*[年.\-/]\s*"
    r"(?P<month>\d{1,2})\s*[月.\-/]\s*(?P<day>\d{1,2})\s*日?$"
)
_ERA_MONTH = re.compile(
    r"^(?P<era>令和|平成|昭和|大正|明治|[RHSTM])\s*(?P<year>元|\d{1,3})\s*[年.\-/]\s*"
    r"(?P<month>\d{1,2})\s*月?$"
)
_GREGORIAN_DATE = re.compile(
    r"^(?P<year>\d{4})\s*[年.\-/]\s*(?P<month>\d{1,2})\s*[月.\-/]\s*(?P<day>\d{1,2})\s*日?$"
)
_GREGORIAN_MONTH = re.compile(r"^(?P<year>\d{4})\s*[年.\-/]\s*(?P<month>\d{1,2})\s*月?$")


class WarekiError(ValueError):
    """Raised with a Japanese message that can be shown to the user as it is."""


def _normalise(text: str) -> str:
    # NFKC turns full-width digits and letters into ASCII; the era names are unchanged.
    return unicodedata.normalize("NFKC", text).strip().upper().replace(" ", "")


def _gregorian_year(era_key: str, year_text: str) -> tuple[Era, int]:
    era = _BY_NAME[era_key]
    year = 1 if year_text == "元" else int(year_text)
    if year < 1:
        raise WarekiError(f"{era.name}{year}年という年はありません。")
    last = last_year(era)
    if last is not None and year > last + ERA_GRACE_YEARS:
        following = ERAS[ERAS.index(era) - 1]
        raise WarekiError(
            f"{era.name}{year}年という年はありません。{era.name}は{last}年"
            f"（{following.name}元年）までです。{following.name}で入力してください。"
        )
    return era, era.start.year + year - 1


def last_year(era: Era) -> int | None:
    """The era's last year in its own count (平成 → 31), None for the current era."""
    index = ERAS.index(era)
    if index == 0:
        return None
    return ERAS[index - 1].start.year - era.start.year + 1


def _make_date(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise WarekiError(f"「{text}」は存在しない日付です。") from None


def parse_date(text: str) -> dt.date:
    """Parse a date typed in the Japanese era or the Gregorian calendar."""
    raw = _normalise(text)
    if match := _ERA_DATE.match(raw):
        era, year = _gregorian_year(match["era"], match["year"])
        date = _make_date(year, int(match["month"]), int(match["day"]), text)
        if date < era.start:
            raise WarekiError(
                f"「{text}」は{era.name}の始まり（{format_date(era.start)}）より前です。"
            )
        return date
    if match := _GREGORIAN_DATE.match(raw):
        return _make_date(int(match["year"]), int(match["month"]), int(match["day"]), text)
    raise WarekiError(f"「{text}」を日付として読めません。例: 令和2年1月1日、R2.1.1、2020-01-01")


def parse_month(text: str) -> dt.date:
    """Parse a year and month (結合年月) into the first day of that month; in the month an
    era began, into the era's first day when that era is named (平成元年1月 is 1989-01-08,
    昭和64年1月 is 1989-01-01), so that format_month() prints the month as it was typed."""
    raw = _normalise(text)
    if match := _ERA_MONTH.match(raw):
        era, year = _gregorian_year(match["era"], match["year"])
        date = _make_date(year, int(match["month"]), 1, text)
        next_month = (date + dt.timedelta(days=31)).replace(day=1)
        if next_month <= era.start:
            raise WarekiError(f"「{text}」は{era.name}の始まりより前です。")
        return max(date, era.start)
    if match := _GREGORIAN_MONTH.match(raw):
        return _make_date(int(match["year"]), int(match["month"]), 1, text)
    date = parse_date(text)
    return max(date.replace(day=1), era_of(date).start)


def era_of(date: dt.date) -> Era:
    for era in ERAS:
        if date >= era.start:
            return era
    raise WarekiError(f"{date.isoformat()} は明治より前の日付です。")


def era_year(date: dt.date) -> tuple[Era, int]:
    era = era_of(date)
    return era, date.year - era.start.year + 1


def _year_text(year: int) -> str:
    return "元" if year == 1 else str(year)


def format_date(date: dt.date, *, fullwidth: bool = False) -> str:
    """令和2年1月1日 (or 令和２年１月１日 for the printed forms)."""
    era, year = era_year(date)
    text = f"{era.name}{_year_text(year)}年{date.month}月{date.day}日"
    return to_fullwidth_digits(text) if fullwidth else text


def format_month(date: dt.date, *, fullwidth: bool = False) -> str:
    """令和2年1月 (or 令和２年１月)."""
    era, year = era_year(date)
    text = f"{era.name}{_year_text(year)}年{date.month}月"
    return to_fullwidth_digits(text) if fullwidth else text


def fiscal_year(date: dt.date) -> int:
    """The Japanese fiscal year (年度) runs April to March: 2027-03-31 is in FY2026."""
    return date.year if date.month >= 4 else date.year - 1


def format_fiscal_year(year: int, *, fullwidth: bool = False) -> str:
    """2026 -> 令和8年度. An era that began during the calendar year names the whole
    fiscal year (FY2019 is 令和元年度), as municipalities write it."""
    era = era_of(dt.date(year, 12, 31))
    text = f"{era.name}{_year_text(year - era.start.year + 1)}年度"
    return to_fullwidth_digits(text) if fullwidth else text
