"""One definition of what a version is on a given day (reviews/workflow/standing.py):
random histories driven through the services (amendments taking effect in the past or
the future, retirements, corrections, an amendment left open) and, on random days, every
reader — the label on pages and in the admin, the badge, the printed mark, the dashboard's
counts and the lists' filter, the public register, the export's 状態 column and the annual
summary — agrees with it for every version."""

import datetime as dt
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config.views import _summary
from consignments.models import Consignment
from consignments.pdf import FORM2
from consignments.resources import ConsignmentResource
from publication import register, summary
from registry import roles
from reviews.workflow import services
from reviews.workflow.standing import standing
from reviews.workflow.states import REGISTER_STATES, State
from tests.factories import (
    BusinessFactory,
    ConsignmentFactory,
    PreApprovalCategoryFactory,
    SectionFactory,
    user_with_role,
)
from tests.pdf_text import page_texts, squeeze

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
START = dt.date(2019, 4, 1)


@pytest.fixture
def people():
    section = SectionFactory()
    return {
        "section": section,
        "staff": user_with_role(roles.SECTION_STAFF, section),
        "reviewer": user_with_role(roles.REVIEWER),
        "clerk": user_with_role(roles.CLERK),
        "category": PreApprovalCategoryFactory(number=17),
    }


def _newest(chain: list[Consignment]) -> Consignment:
    newest = chain[-1]
    newest.refresh_from_db()
    return newest


def _amend(people, chain, starts: dt.date, approve: bool) -> None:
    amendment = services.record_amend(actor=people["staff"], record=_newest(chain))
    Consignment.objects.filter(pk=amendment.pk).update(effective_from=starts)
    chain.append(amendment)
    if approve:
        services.record_submit(actor=people["staff"], record=amendment)
        services.record_approve(
            actor=people["reviewer"], record=amendment, category=people["category"]
        )


def _apply(people, chain: list[Consignment], step: tuple) -> None:
    kind, days = step
    newest = _newest(chain)
    try:
        with transaction.atomic():
            if kind == "amend":
                _amend(people, chain, newest.effective_from + dt.timedelta(days=days), True)
            elif kind == "open":
                _amend(people, chain, newest.effective_from + dt.timedelta(days=days), False)
            elif kind == "retire":
                services.record_retire(
                    actor=people["reviewer"],
                    record=newest,
                    retired_on=newest.effective_from + dt.timedelta(days=days),
                )
            else:
                services.record_correct(
                    actor=people["reviewer"],
                    record=newest,
                    changes={"contractor_type": f"訂正{days}"},
                    reason="誤記",
                )
    except ValidationError:
        if chain[-1].pk and not Consignment.objects.filter(pk=chain[-1].pk).exists():
            chain.pop()  # the amendment's savepoint was rolled back


STEPS = st.lists(
    st.tuples(st.sampled_from(["amend", "open", "retire", "correct"]), st.integers(1, 1500)),
    max_size=5,
)
DAYS = st.lists(
    st.dates(min_value=dt.date(2018, 1, 1), max_value=dt.date(2032, 12, 31)),
    min_size=1,
    max_size=4,
)


def _check_day(records: list[Consignment], day: dt.date) -> None:
    buckets = dict(
        Consignment.objects.filter(pk__in=[r.pk for r in records])
        .with_bucket(day)
        .values_list("pk", "bucket")
    )
    public = set(Consignment.objects.in_force(day).values_list("pk", flat=True))
    for record in records:
        expected = standing(record, day)
        assert record.status_label(day) == expected.label
        assert record.print_mark(day) == expected.mark
        assert buckets[record.pk] == expected.bucket
        assert (record.pk in public) == expected.public
    # One version of a record is in force on any day.
    assert len([r for r in records if standing(r, day).public]) <= 1
    first, last = summary.fiscal_year_bounds(day.year)
    retired = [
        r
        for r in records
        if standing(r, first).bucket != State.RETIRED
        and standing(r, last + dt.timedelta(days=1)).bucket == State.RETIRED
    ]
    started = [
        r for r in records if r.state in REGISTER_STATES and first <= r.effective_from <= last
    ]
    totals = summary.annual_summary(day.year).totals
    assert totals[summary.RETIRED] == len(retired)
    assert totals[summary.NEW] + totals[summary.AMENDED] == len(started)


def _check_today(people, records: list[Consignment]) -> None:
    expected = {r.pk: standing(r, TODAY) for r in records}
    for record in records:
        assert record.status_class == expected[record.pk].bucket
        assert record.is_in_force == expected[record.pk].public
    counts = {state: n for state, _label, n in _summary(Consignment, people["clerk"], ())["counts"]}
    assert counts == {state: 0 for state in State.values} | Counter(
        s.bucket for s in expected.values()
    )
    listed = {r.pk for r in register.published_consignments()}
    assert listed == {pk for pk, s in expected.items() if s.public}
    dataset = ConsignmentResource().export(Consignment.objects.filter(pk__in=expected))
    assert sorted(row["状態"] for row in dataset.dict) == sorted(s.label for s in expected.values())


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    begins=st.integers(-2500, 800),
    steps=STEPS,
    days=DAYS,
)
def test_every_reader_agrees_on_what_each_version_is(people, begins, steps, days):
    savepoint = transaction.savepoint()
    try:
        first = ConsignmentFactory(
            business=BusinessFactory(section=people["section"]),
            effective_from=TODAY + dt.timedelta(days=begins),
        )
        chain = [first]
        for step in steps:
            _apply(people, chain, step)
        records = list(Consignment.objects.filter(pk__in=[r.pk for r in chain]).order_by("pk"))
        for day in [*days, TODAY]:
            _check_day(records, day)
        _check_today(people, records)
    finally:
        transaction.savepoint_rollback(savepoint)


@pytest.fixture
def in_force_until_its_amendment(people):
    """Seed record No.3's case: an amendment approved today takes effect next year, so
    the old version is in force until the day before."""
    old = ConsignmentFactory(
        business=BusinessFactory(section=people["section"]), effective_from=START
    )
    _amend(people, [old], TODAY + dt.timedelta(days=120), True)
    old.refresh_from_db()
    return old


def test_a_version_in_force_until_its_amendment_prints_clean(in_force_until_its_amendment):
    old = in_force_until_its_amendment
    assert old.state == State.AMENDED
    assert old.print_mark() == ""
    pdf = FORM2.render([Consignment.objects.with_form_data().get(pk=old.pk)])
    assert not any("旧版" in squeeze(text) for text in page_texts(pdf.content))


def test_it_is_counted_and_listed_as_approved_on_the_dashboard(
    client, people, in_force_until_its_amendment
):
    old = in_force_until_its_amendment
    client.force_login(people["staff"])
    page = client.get(reverse("dashboard")).content.decode()
    approved = page[page.index("?state=approved") :]
    assert "<strong>2</strong>" in approved[: approved.index("</a>")]
    listed = client.get(reverse("consignments:list"), {"state": "approved"}).content.decode()
    assert f"No.{old.pk}" in listed or f"/{old.pk}/" in listed
    amended = client.get(reverse("consignments:list"), {"state": "amended"}).content.decode()
    assert f"/{old.pk}/" not in amended


def test_its_export_reads_approved_and_imports_back_unchanged(in_force_until_its_amendment):
    old = in_force_until_its_amendment
    dataset = ConsignmentResource().export(Consignment.objects.filter(pk=old.pk))
    assert dataset.dict[0]["状態"].startswith("承認済み（")
    assert "旧版" not in dataset.dict[0]["状態"]
    everything = ConsignmentResource().export()
    result = ConsignmentResource(user=None).import_data(
        everything, rollback_on_validation_errors=True
    )
    assert not result.has_errors() and not result.invalid_rows
    assert result.totals["skip"] == len(everything)
