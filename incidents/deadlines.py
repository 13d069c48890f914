"""The clocks an incident that must be reported starts (法第68条, 施行規則第44条): the
速報 "promptly" — the guideline for 行政機関等 reads 概ね3〜5日, INCIDENTS_PRELIMINARY_DAYS
(5 by default) — the 確報 within 30 days (60 with unlawful intent), and the notices to
the people concerned (the Act says 速やかに; INCIDENTS_NOTICE_DAYS, 30 by default).
As the Commission counts it, the day of discovery is day 1: 30 days from 1 April end on
30 April."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from incidents.criteria import assess
from notation import wareki


@dataclass(frozen=True)
class Clock:
    key: str  # "preliminary" | "final" | "notice"
    label: str
    due_on: dt.date
    done_on: dt.date | None
    # A notice replaced by another measure (the reason recorded) counts as done.
    replaced: bool = False

    @property
    def done(self) -> bool:
        return self.done_on is not None or self.replaced

    def overdue(self, today: dt.date) -> bool:
        return not self.done and today > self.due_on

    def due_display(self) -> str:
        return wareki.format_date(self.due_on)


def _day(discovered_on: dt.date, days: int) -> dt.date:
    return discovered_on + dt.timedelta(days=days - 1)


def clocks(incident) -> list[Clock]:
    """The clocks of an incident; none when no report is due."""
    assessment = assess(incident)
    if not assessment.report_due:
        return []
    start = incident.discovered_on
    replaced = bool(
        incident.notice_impossible_reason.strip() and incident.notice_substitute.strip()
    )
    return [
        Clock(
            "preliminary",
            "速報",
            _day(start, settings.INCIDENTS_PRELIMINARY_DAYS),
            incident.preliminary_reported_on,
        ),
        Clock(
            "final",
            "確報",
            _day(start, assessment.final_report_days),
            incident.final_reported_on,
        ),
        Clock(
            "notice",
            "本人への通知",
            _day(start, settings.INCIDENTS_NOTICE_DAYS),
            incident.notified_on,
            replaced,
        ),
    ]


def overdue_clocks(incident, today: dt.date) -> list[Clock]:
    return [clock for clock in clocks(incident) if clock.overdue(today)]
