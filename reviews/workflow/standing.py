"""What a version is on a given day, from its state and its dates: the one definition
every reader uses — the staff pages and the admin (its label and badge), the PDFs (their
mark), the export's 状態 column, the dashboard (its bucket), the public register (whether
it lists the version) and the annual summary.

A superseded or retired version stays in force until its end date: until then it reads,
counts and prints as the approved version (seed record No.3 is in force until the day
before its amendment takes effect), and only afterwards as 旧版 / 廃止.
tests/reviews/workflow/test_standing.py drives random histories and checks that every
reader agrees with this module on random days."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, F, Q, QuerySet, Value, When

from notation import wareki
from reviews.workflow.states import REGISTER_STATES, UNDER_REVIEW_STATES, State


@dataclass(frozen=True)
class Standing:
    bucket: str
    """The State it counts under on the dashboard and in the lists' state filter."""
    label: str
    """What people read (pages, admin, the export's 状態 column)."""
    mark: str
    """What every printed page carries; "" for an approved version not yet ended."""
    public: bool
    """Whether the public register lists it on that day."""


def _ended(until: dt.date | None, day: dt.date) -> bool:
    return until is not None and until < day


def standing_of(
    *, state: str, effective_from: dt.date | None, effective_until: dt.date | None, day: dt.date
) -> Standing:
    """The version's standing on `day`."""
    if state not in REGISTER_STATES:
        mark = "審査中" if state in UNDER_REVIEW_STATES else State(state).label
        return Standing(state, State(state).label, mark, public=False)
    end = wareki.format_date(effective_until) if effective_until else ""
    if not _ended(effective_until, day):
        started = effective_from is not None and effective_from <= day
        label = State.APPROVED.label
        if state == State.AMENDED:
            label = f"承認済み（{end}まで・変更承認済み）"
        elif state == State.RETIRED:
            label = f"承認済み（{end}まで・廃止予定）"
        return Standing(State.APPROVED, label, "", public=started)
    if state == State.AMENDED:
        return Standing(state, State(state).label, f"旧版（{end}まで）", public=False)
    if state == State.RETIRED:
        return Standing(state, State(state).label, f"廃止（{end}まで）", public=False)
    # An approved version given an end without being retired or superseded (not made by
    # the services): past its end it is printed as ended all the same.
    return Standing(state, State(state).label, f"効力終了（{end}まで）", public=False)


def standing(record, day: dt.date) -> Standing:
    """`record`'s standing on `day`."""
    return standing_of(
        state=record.state,
        effective_from=record.effective_from,
        effective_until=record.effective_until,
        day=day,
    )


def with_bucket(queryset: QuerySet, day: dt.date) -> QuerySet:
    """`queryset` annotated with `bucket`: Standing.bucket on `day`, computed in SQL so
    that counts and filters need not load the rows."""
    not_ended = Q(effective_until__isnull=True) | Q(effective_until__gte=day)
    return queryset.annotate(
        bucket=Case(
            When(Q(state__in=REGISTER_STATES) & not_ended, then=Value(State.APPROVED.value)),
            default=F("state"),
        )
    )
