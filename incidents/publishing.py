"""What the ward publishes of its incidents, by its 公表基準: a serious case (one of the
施行規則第43条 cases named in INCIDENTS_PUBLISH_AT_ONCE) as soon as the 事務局 releases it,
and every released case in the list of its fiscal half-year (April–September,
October–March) once that half has ended. A case held back by one of the 基準's reasons
is never listed.

Only these columns ever leave the building: the number, the dates, the section, the
kind, the number of people and the public summary the 事務局 approved. The items, the
cause and every other free text stay inside (they may name people)."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from incidents.criteria import assess
from incidents.models import Incident
from notation import wareki

PUBLIC_COLUMNS = ("番号", "発覚日", "所管課", "事態の種別", "本人の数", "概要", "公表日")


@dataclass(frozen=True)
class PublicRow:
    number: int
    discovered_on: str
    section: str
    kind: str
    people: str
    summary: str
    released_on: str

    def cells(self) -> list[str]:
        return [
            str(self.number),
            self.discovered_on,
            self.section,
            self.kind,
            self.people,
            self.summary,
            self.released_on,
        ]


@dataclass(frozen=True)
class HalfYear:
    first: dt.date
    last: dt.date

    @property
    def label(self) -> str:
        half = "上半期" if self.first.month == 4 else "下半期"
        return f"{wareki.format_fiscal_year(wareki.fiscal_year(self.first))} {half}"


def half_year_of(day: dt.date) -> HalfYear:
    if 4 <= day.month <= 9:
        return HalfYear(dt.date(day.year, 4, 1), dt.date(day.year, 9, 30))
    start_year = day.year if day.month >= 10 else day.year - 1
    return HalfYear(dt.date(start_year, 10, 1), dt.date(start_year + 1, 3, 31))


def is_serious(incident: Incident) -> bool:
    wanted = set(settings.INCIDENTS_PUBLISH_AT_ONCE)
    return any(c.number in wanted for c in assess(incident).applies)


def public_row(incident: Incident) -> PublicRow:
    return PublicRow(
        incident.pk,
        wareki.format_date(incident.discovered_on),
        str(incident.section),
        incident.kind_display,
        incident.people_display,
        incident.public_summary,
        wareki.format_date(incident.released_on),
    )


def _released():
    return Incident.objects.released().select_related("section").order_by("discovered_on", "pk")


def serious_cases() -> list[PublicRow]:
    """Published at once: the serious cases released so far, newest first."""
    return [public_row(i) for i in reversed(list(_released())) if is_serious(i)]


def half_year_lists(today: dt.date) -> list[tuple[HalfYear, list[PublicRow]]]:
    """Each ended half-year with released cases, newest first."""
    current = half_year_of(today)
    lists: dict[HalfYear, list[PublicRow]] = {}
    for incident in _released().filter(discovered_on__lt=current.first):
        lists.setdefault(half_year_of(incident.discovered_on), []).append(public_row(incident))
    return sorted(lists.items(), key=lambda pair: pair[0].first, reverse=True)
