"""The deadlines of disclosure.clock against a plain day-by-day count over the calendar,
and the examples the office checks by hand: 補正, extensions, year end, Golden Week."""

import datetime as dt

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure import clock

DAY = dt.timedelta(days=1)
JAPAN = holidays.Japan(years=range(2019, 2033))


def closed_by_hand(day: dt.date) -> bool:
    return (
        day.weekday() in (5, 6)
        or day in JAPAN
        or (day.month, day.day) in {(12, 29), (12, 30), (12, 31), (1, 1), (1, 2), (1, 3)}
    )


def count_by_hand(received_on, period, pauses, extension):
    """Walk the calendar one day at a time: a day counts unless a 補正 is pending on it."""
    paused = {
        asked + DAY * n for asked, answered in pauses for n in range(1, (answered - asked).days + 1)
    }
    day, counted = received_on, 0
    while counted < period + extension:
        day += DAY
        if day not in paused:
            counted += 1
    while closed_by_hand(day):
        day += DAY
    return day


dates = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2031, 12, 31))


@st.composite
def requests(draw):
    received = draw(dates)
    pauses = []
    start = received
    for _ in range(draw(st.integers(0, 2))):
        asked = start + DAY * draw(st.integers(0, 20))
        answered = asked + DAY * draw(st.integers(0, 40))
        pauses.append((asked, answered))
        start = answered
    return received, pauses, draw(st.integers(0, clock.MAX_EXTENSION_DAYS))


@settings(max_examples=300, deadline=None)
@given(requests())
def test_it_agrees_with_a_day_by_day_count(request_):
    received, pauses, extension = request_
    expected = count_by_hand(received, clock.PERIOD_DAYS, pauses, extension)
    assert clock.deadline(received, pauses=pauses, extension_days=extension) == expected


@settings(max_examples=200, deadline=None)
@given(dates)
def test_the_deadline_is_an_open_day_with_no_open_day_skipped(received):
    due = clock.deadline(received)
    raw = received + dt.timedelta(days=30)
    assert not clock.is_closed(due)
    assert all(clock.is_closed(raw + DAY * n) for n in range((due - raw).days))


def test_thirty_days_count_from_the_day_after_receipt():
    # Received Thu 2026-06-04: day 1 is 06-05, day 30 is Sat 07-04 → Mon 07-06.
    assert clock.deadline(dt.date(2026, 6, 4)) == dt.date(2026, 7, 6)
    # Received Wed 2026-06-03: day 30 is Fri 07-03, an open day.
    assert clock.deadline(dt.date(2026, 6, 3)) == dt.date(2026, 7, 3)


def test_the_days_of_a_correction_do_not_count():
    # 補正 asked on 06-10, made on 06-17: seven days do not count.
    pauses = [(dt.date(2026, 6, 10), dt.date(2026, 6, 17))]
    assert clock.paused_days(pauses) == 7
    assert clock.deadline(dt.date(2026, 6, 3), pauses=pauses) == dt.date(2026, 7, 10)


def test_a_correction_made_the_day_it_was_asked_costs_no_day():
    assert clock.paused_days([(dt.date(2026, 6, 10), dt.date(2026, 6, 10))]) == 0


def test_an_extension_runs_on_from_the_first_period():
    # 30 + 30 days from Wed 2026-06-03 is Sun 08-02 → Mon 08-03.
    assert clock.deadline(dt.date(2026, 6, 3), extension_days=30) == dt.date(2026, 8, 3)


def test_more_than_thirty_days_of_extension_is_refused():
    with pytest.raises(ValueError):
        clock.deadline(dt.date(2026, 6, 3), extension_days=31)


def test_a_deadline_in_the_year_end_closure_moves_to_january_4():
    # Received Fri 2026-11-27: day 30 is Sun 12-27 → Mon 12-28, before the closure.
    assert clock.deadline(dt.date(2026, 11, 27)) == dt.date(2026, 12, 28)
    # Received Mon 2026-11-30: day 30 is Wed 12-30, closed until Sun 01-03 → Mon 2027-01-04.
    assert clock.deadline(dt.date(2026, 11, 30)) == dt.date(2027, 1, 4)


def test_a_deadline_in_golden_week_moves_past_it():
    # Received Wed 2026-04-01: day 30 is Fri 05-01 (open); from 04-03 it is Sun 05-03,
    # then 憲法記念日 05-03, みどりの日 05-04, こどもの日 05-05, 振替休日 05-06 → Thu 05-07.
    assert clock.deadline(dt.date(2026, 4, 1)) == dt.date(2026, 5, 1)
    assert clock.deadline(dt.date(2026, 4, 3)) == dt.date(2026, 5, 7)


def test_the_ward_may_keep_the_calendar_day(settings):
    settings.DISCLOSURE_DEADLINE_SKIPS_CLOSED_DAYS = False
    assert clock.deadline(dt.date(2026, 11, 30)) == dt.date(2026, 12, 30)


# Receipts whose 30th day lands in the year-end closure or Golden Week, every year.
around_closures = st.builds(
    lambda year, start, offset: start.replace(year=year) + DAY * offset,
    st.integers(2020, 2031),
    st.sampled_from([dt.date(2000, 11, 20), dt.date(2000, 3, 25)]),
    st.integers(0, 20),
)


@settings(max_examples=200, deadline=None)
@given(around_closures, st.integers(0, clock.MAX_EXTENSION_DAYS))
def test_it_agrees_with_the_count_around_year_ends_and_golden_week(received, extension):
    expected = count_by_hand(received, clock.PERIOD_DAYS, [], extension)
    assert clock.deadline(received, extension_days=extension) == expected
