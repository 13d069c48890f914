"""The 速報, 確報 and notice clocks (施行規則第44条; the day of discovery is day 1)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from incidents.deadlines import clocks, overdue_clocks
from incidents.models import Incident

APRIL_1 = dt.date(2026, 4, 1)


def incident(**facts) -> Incident:
    values = {"discovered_on": APRIL_1, "people_count": 1} | facts
    return Incident(**values)


def due(incident: Incident) -> dict[str, dt.date]:
    return {clock.key: clock.due_on for clock in clocks(incident)}


def test_no_clock_runs_when_no_report_is_due():
    assert clocks(incident(people_count=100)) == []


def test_the_clocks_of_a_reportable_incident():
    assert due(incident(people_count=101)) == {
        "preliminary": dt.date(2026, 4, 5),
        "final": dt.date(2026, 4, 30),
        "notice": dt.date(2026, 4, 30),
    }


def test_unlawful_intent_gives_the_final_report_60_days():
    assert due(incident(unlawful_intent=True))["final"] == dt.date(2026, 5, 30)


def test_the_preliminary_clock_is_a_setting(settings):
    settings.INCIDENTS_PRELIMINARY_DAYS = 3
    assert due(incident(sensitive=True))["preliminary"] == dt.date(2026, 4, 3)


@pytest.mark.parametrize(
    ("today", "overdue"),
    [(dt.date(2026, 4, 5), []), (dt.date(2026, 4, 6), ["preliminary"])],
)
def test_a_clock_is_overdue_the_day_after_it_falls_due(today, overdue):
    assert [c.key for c in overdue_clocks(incident(sensitive=True), today)] == overdue


def test_a_done_step_stops_its_clock():
    reported = incident(sensitive=True, preliminary_reported_on=dt.date(2026, 4, 9))
    assert overdue_clocks(reported, dt.date(2026, 4, 10)) == []


def test_a_notice_replaced_by_another_measure_with_its_reason_is_done():
    replaced = incident(
        sensitive=True,
        notice_impossible_reason="連絡先が不明のため",
        notice_substitute="区ホームページで公表し、問合せ窓口を設けた",
    )
    notice = next(c for c in clocks(replaced) if c.key == "notice")
    assert notice.done and not notice.overdue(dt.date(2026, 12, 1))
    without_substitute = incident(sensitive=True, notice_impossible_reason="連絡先が不明のため")
    notice = next(c for c in clocks(without_substitute) if c.key == "notice")
    assert notice.overdue(dt.date(2026, 12, 1))


@given(
    discovered=st.dates(dt.date(2023, 4, 1), dt.date(2030, 3, 31)),
    sensitive=st.booleans(),
    unlawful=st.booleans(),
    count=st.one_of(st.none(), st.sampled_from([0, 100, 101, 5000])),
    secured=st.booleans(),
)
def test_the_clocks_follow_the_criteria_in_every_combination(
    discovered, sensitive, unlawful, count, secured
):
    facts = incident(
        discovered_on=discovered,
        sensitive=sensitive,
        unlawful_intent=unlawful,
        people_count=count,
        secured=secured,
    )
    reportable = not secured and (sensitive or unlawful or (count or 0) > 100)
    if not reportable:
        assert clocks(facts) == []
        return
    days = {key: (day - discovered).days + 1 for key, day in due(facts).items()}
    assert days == {"preliminary": 5, "final": 60 if unlawful else 30, "notice": 30}
