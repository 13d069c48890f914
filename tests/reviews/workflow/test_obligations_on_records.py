"""A condition attached to an answer (附帯意見) shows on every record it binds."""

import datetime as dt

import pytest
from django.urls import reverse

from consignments.models import Consignment
from linkages.models import Linkage
from registry import roles
from reviews.models import Consultation
from tests.factories import AnswerFactory, ObligationFactory, user_with_role

pytestmark = pytest.mark.usefixtures("seed")


def obligation_on(consultation: Consultation):
    answer = AnswerFactory(consultation=consultation, answered_on=dt.date(2019, 3, 1))
    return ObligationFactory(
        answer=answer, text="運用状況を毎年度報告すること。", due_on=dt.date(2020, 3, 31)
    )


def test_a_form2_record_citing_the_consultation_is_bound():
    consultation = Consultation.objects.get(number=23)
    obligation = obligation_on(consultation)
    bound = Consignment.objects.filter(consultations=consultation)
    assert bound.count() == 2
    for record in bound:
        assert list(record.obligations()) == [obligation]
    other = Consignment.objects.exclude(consultations=consultation).first()
    assert list(other.obligations()) == []


def test_a_form5_record_citing_the_consultation_is_bound():
    obligation = obligation_on(Consultation.objects.get(number=5, fiscal_year=2018))
    linkage = Linkage.objects.get(business__number="0404-01", partner__name__contains="データ")
    assert list(linkage.obligations()) == [obligation]


def test_the_record_page_and_the_admin_show_the_obligation(client):
    obligation_on(Consultation.objects.get(number=5, fiscal_year=2018))
    linkage = Linkage.objects.get(business__number="0404-01", partner__name__contains="データ")
    client.force_login(user_with_role(roles.REVIEWER))
    page = client.get(reverse("linkages:detail", args=[linkage.pk])).content.decode()
    assert "運用状況を毎年度報告すること。" in page
    assert "期限超過" in page
    admin_page = client.get(
        reverse("admin:linkages_linkage_change", args=[linkage.pk])
    ).content.decode()
    assert "運用状況を毎年度報告すること。" in admin_page
