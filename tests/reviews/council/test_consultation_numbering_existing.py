"""Consultation numbers continue from the numbers that already exist (the seed, an
import, a past-dated consultation), and a clash is refused, never a server error."""

import datetime as dt

import pytest
from django.urls import reverse

from registry import roles
from reviews.council.models import ConsultationCounter
from reviews.council.services import consultation_create
from reviews.models import Consultation
from tests.factories import ConsultationFactory, user_with_role

HEISEI_31_FEB_1 = dt.date(2019, 2, 1)  # 平成30年度, which the seed gives 諮問第5号


@pytest.fixture
def clerk(db):
    return user_with_role(roles.CLERK)


def open_consultation(clerk, on: dt.date, subject: str = "電算結合について") -> Consultation:
    return consultation_create(actor=clerk, consulted_on=on, subject=subject)


@pytest.mark.usefixtures("seed")
def test_it_gives_a_past_dated_consultation_the_next_free_number_of_its_year(clerk):
    numbers = [open_consultation(clerk, HEISEI_31_FEB_1).number for _ in range(3)]
    assert numbers == [6, 7, 8]
    assert Consultation.objects.filter(fiscal_year=2018).count() == 4


@pytest.mark.usefixtures("seed")
def test_it_never_fails_in_a_year_whose_counter_lags_behind_the_register(clerk):
    # A counter left behind by the old code (第1号 handed out after the seed's 第5号).
    ConsultationCounter.objects.create(series=2018, last_number=4)
    consultation = open_consultation(clerk, HEISEI_31_FEB_1)
    assert consultation.number == 6
    assert open_consultation(clerk, HEISEI_31_FEB_1).number == 7


@pytest.mark.django_db
def test_cumulative_numbering_continues_after_the_highest_number(clerk, settings):
    settings.CONSULTATION_NUMBERING = "cumulative"
    ConsultationFactory(consulted_on=dt.date(2009, 10, 22), fiscal_year=2009, number=692)
    ConsultationFactory(consulted_on=dt.date(2006, 1, 25), fiscal_year=2005, number=20)
    assert open_consultation(clerk, dt.date(2026, 5, 1)).number == 693
    assert open_consultation(clerk, dt.date(2005, 5, 1)).number == 694


@pytest.mark.django_db
def test_it_refuses_anyone_but_a_clerk(db):
    from django.core.exceptions import PermissionDenied

    reviewer = user_with_role(roles.REVIEWER)
    with pytest.raises(PermissionDenied):
        open_consultation(reviewer, dt.date(2026, 5, 1))
    assert not Consultation.objects.exists()


@pytest.mark.usefixtures("seed")
def test_the_admin_numbers_a_past_dated_consultation_after_the_seed(client, clerk):
    client.force_login(clerk)
    url = reverse("admin:reviews_consultation_add")
    data = {
        "consulted_on": "平成31年2月1日",
        "subject": "過去日付の諮問",
        "answer-TOTAL_FORMS": "0",
        "answer-INITIAL_FORMS": "0",
    }
    statuses = [client.post(url, data | {"subject": f"諮問{n}"}).status_code for n in range(6)]
    assert statuses == [302] * 6
    numbers = sorted(Consultation.objects.filter(fiscal_year=2018).values_list("number", flat=True))
    assert numbers == [5, 6, 7, 8, 9, 10, 11]
