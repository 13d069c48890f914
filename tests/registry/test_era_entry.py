import datetime as dt

import pytest
from django import forms

from consignments.models import Consignment
from linkages.models import Linkage


class PeriodForm(forms.ModelForm):
    class Meta:
        model = Consignment
        fields = ["period_start", "period_end"]


class LinkedOnForm(forms.ModelForm):
    class Meta:
        model = Linkage
        fields = ["linked_on"]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("平成32年1月1日", dt.date(2020, 1, 1)),
        ("R2.1.1", dt.date(2020, 1, 1)),
        ("2020-01-01", dt.date(2020, 1, 1)),
    ],
)
def test_date_fields_accept_the_era_and_the_gregorian_calendar(typed, stored):
    form = PeriodForm(data={"period_start": typed, "period_end": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["period_start"] == stored


def test_date_fields_show_the_stored_date_in_the_era():
    form = PeriodForm(instance=Consignment(period_start=dt.date(2020, 1, 1)))
    assert 'value="令和2年1月1日"' in str(form["period_start"])


def test_a_bad_date_gets_a_japanese_message_next_to_the_field():
    form = PeriodForm(data={"period_start": "令和1年13月1日"})
    assert not form.is_valid()
    assert form.errors["period_start"][0] == "「令和1年13月1日」は存在しない日付です。"


def test_month_fields_take_a_year_and_month():
    form = LinkedOnForm(data={"linked_on": "平成32年1月"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["linked_on"] == dt.date(2020, 1, 1)
    assert 'value="令和2年1月"' in str(
        LinkedOnForm(instance=Linkage(linked_on=dt.date(2020, 1, 1)))["linked_on"]
    )
