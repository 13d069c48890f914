"""The statutory clock of a request (Act on the Protection of Personal Information,
chapter 5 section 4), computed in one place, never counted by hand.

- A decision is due 30 days after receipt, counting from the day after (art. 83(1) for
  開示, 94(1) for 訂正, 102(1) for 利用停止; the first day is not counted, Civil Code
  art. 140).
- Days spent on a 補正 the office asked for (art. 77(3)) do not count: from the day after
  the request for 補正 up to the day the 補正 arrived.
- The period may be extended by up to 30 days (art. 83(2), 94(2), 102(2)); the
  extended period runs on from the end of the first one.
- Art. 84 (開示 of a very large volume): a 相当の部分 is decided within 60 days and the
  rest by a date the notice names.
- A deadline that falls on a day the ward is closed (土日, 祝日, 12月29日–1月3日) moves to
  the next open day when DISCLOSURE_DEADLINE_SKIPS_CLOSED_DAYS is on (the ward's rule,
  after 地方自治法 art. 4-2(4)); the holidays come from the `holidays` library.
"""

import datetime as dt
from collections.abc import Iterable
from functools import cache

import holidays
from django.conf import settings

PERIOD_DAYS = 30
MAX_EXTENSION_DAYS = 30
# Art. 84: the part decided within 60 days of the request.
LARGE_VOLUME_PART_DAYS = 60
# Art. 86(3): at least two weeks between a decision disclosing against a third party's
# objection and the disclosure itself.
THIRD_PARTY_WAIT_DAYS = 14

DAY = dt.timedelta(days=1)


@cache
def _national_holidays(year: int) -> holidays.HolidayBase:
    return holidays.Japan(years=year)


def is_closed(day: dt.date) -> bool:
    """行政機関の休日: weekends, national holidays and 12月29日–1月3日."""
    year_end = (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)
    return day.weekday() >= 5 or year_end or day in _national_holidays(day.year)


def next_open_day(day: dt.date) -> dt.date:
    """The day itself when the ward is open on it, or the next day it is."""
    while is_closed(day):
        day += DAY
    return day


def closes_on(day: dt.date) -> dt.date:
    """A period's last day as the ward's rule has it."""
    if settings.DISCLOSURE_DEADLINE_SKIPS_CLOSED_DAYS:
        return next_open_day(day)
    return day


def _paused(pauses: Iterable[tuple[dt.date, dt.date]]) -> set[dt.date]:
    days: set[dt.date] = set()
    for asked_on, answered_on in pauses:
        days.update(asked_on + DAY * n for n in range(1, (answered_on - asked_on).days + 1))
    return days


def paused_days(pauses: Iterable[tuple[dt.date, dt.date]]) -> int:
    """Days not counted for 補正: for each (asked on, answered on), the days after the
    request up to and including the day the 補正 arrived. Overlapping pauses count once."""
    return len(_paused(pauses))


def deadline(
    received_on: dt.date,
    *,
    pauses: Iterable[tuple[dt.date, dt.date]] = (),
    extension_days: int = 0,
    period_days: int = PERIOD_DAYS,
) -> dt.date:
    """The last day a decision may be made on."""
    if not 0 <= extension_days <= MAX_EXTENSION_DAYS:
        raise ValueError(f"延長できるのは{MAX_EXTENSION_DAYS}日以内です。")
    end = received_on + dt.timedelta(days=period_days + extension_days)
    # A paused day inside the running period pushes its end back by one; one after the
    # period has run out (a 補正 asked on the last day) changes nothing.
    for day in sorted(_paused(pauses)):
        if day <= end:
            end += DAY
    return closes_on(end)


def days_left(due_on: dt.date, today: dt.date) -> int:
    """Calendar days to the deadline; negative once it has passed."""
    return (due_on - today).days
