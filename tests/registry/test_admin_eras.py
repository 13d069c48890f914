"""The admin shows era dates and fiscal years like every other page: read-only dates,
date-time columns and year filters (平成30年度, not 2018; 平成21年1月1日, not 2009年1月1日)."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse

from accesslog.models import AccessEvent
from consignments.models import Consignment
from notation import wareki
from notation.admin_eras import era_text
from registry import roles
from reviews.models import Consultation
from reviews.workflow.states import State
from tests.factories import user_with_role

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


def test_dates_months_and_times_read_in_the_era():
    assert era_text(dt.date(2019, 5, 1)) == "令和元年5月1日"
    assert era_text(dt.date(2020, 1, 1), month_only=True) == "令和2年1月"
    moment = dt.datetime(2026, 11, 30, 4, 5, tzinfo=dt.UTC)
    assert era_text(moment) == "令和8年11月30日 13:05"


@pytest.fixture
def clerk_client(client, db):
    client.force_login(user_with_role(roles.CLERK))
    return client


@pytest.mark.usefixtures("seed")
def test_read_only_dates_on_a_record_are_in_the_era(client):
    client.force_login(user_with_role(roles.REVIEWER))
    record = Consignment.objects.filter(state=State.APPROVED, effective_from__isnull=False).first()
    html = client.get(reverse("admin:consignments_consignment_change", args=[record.pk]))
    html = html.content.decode()
    assert f'<div class="readonly">{wareki.format_date(record.effective_from)}</div>' in html
    day = record.effective_from
    assert f"{day.year}年{day.month}月{day.day}日" not in html


@pytest.mark.usefixtures("seed")
def test_consultations_filter_by_fiscal_year_in_the_era(clerk_client):
    url = reverse("admin:reviews_consultation_changelist")
    html = clerk_client.get(url).content.decode()
    assert "平成30年度" in html and 'title="2018"' not in html
    assert ">2018<" not in html and ">2005<" not in html
    listed = clerk_client.get(url, {"fiscal_year_fy": "2018"}).context["cl"].result_list
    assert {c.fiscal_year for c in listed} == {2018}
    assert len(listed) == Consultation.objects.filter(fiscal_year=2018).count() >= 1


def test_the_access_log_shows_times_in_the_era_and_filters_by_fiscal_year(clerk_client):
    event = AccessEvent.objects.create(
        username="shuno",
        action=AccessEvent.Action.VIEW,
        record_type="consignments.consignment",
        record_ids=[1],
        path="/consignments/1/",
    )
    # `at` is set on creation; move the event to the last evening of 令和8年度.
    AccessEvent.objects.filter(pk=event.pk).update(
        at=dt.datetime(2027, 3, 31, 23, 30, tzinfo=TOKYO)
    )
    url = reverse("admin:accesslog_accessevent_changelist")
    html = clerk_client.get(url).content.decode()
    assert "令和9年3月31日 23:30" in html and "令和8年度" in html
    assert list(clerk_client.get(url, {"at_fy": "2026"}).context["cl"].result_list) == [event]
    assert list(clerk_client.get(url, {"at_fy": "2027"}).context["cl"].result_list) == []
