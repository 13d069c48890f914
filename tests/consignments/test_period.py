import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from consignments.models import Consignment
from tests.factories import ConsignmentFactory

pytestmark = pytest.mark.django_db


def errors_of(consignment: Consignment) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        consignment.full_clean()
    return error.value.message_dict


def test_a_fixed_period_needs_its_start_before_its_end():
    consignment = ConsignmentFactory.build(
        business=ConsignmentFactory().business,
        period_kind=Consignment.PeriodKind.FIXED,
        period_start=dt.date(2020, 4, 1),
        period_end=dt.date(2020, 3, 31),
    )
    assert errors_of(consignment) == {
        "period_end": ["委託期間の終了日は開始日以降の日付にしてください。"]
    }


def test_a_fixed_period_may_be_a_single_day():
    consignment = ConsignmentFactory(
        period_kind=Consignment.PeriodKind.FIXED,
        period_start=dt.date(2020, 4, 1),
        period_end=dt.date(2020, 4, 1),
    )
    consignment.full_clean()
    assert consignment.period_display == "令和2年4月1日から令和2年4月1日まで"


def test_a_fixed_period_needs_both_ends():
    consignment = ConsignmentFactory.build(
        business=ConsignmentFactory().business,
        period_kind=Consignment.PeriodKind.FIXED,
        period_start=None,
        period_end=None,
    )
    assert set(errors_of(consignment)) == {"period_start", "period_end"}


def test_an_ongoing_period_needs_a_start():
    consignment = ConsignmentFactory.build(
        business=ConsignmentFactory().business, period_start=None
    )
    assert errors_of(consignment) == {
        "period_start": ["「以降継続」の場合は開始日を入力してください。"]
    }


def test_an_ongoing_period_is_shown_as_continuing():
    consignment = ConsignmentFactory(period_start=dt.date(2019, 4, 1))
    assert consignment.period_display == "平成31年4月1日以降継続"


def test_a_record_cannot_end_before_it_took_effect():
    consignment = ConsignmentFactory.build(
        business=ConsignmentFactory().business,
        effective_from=dt.date(2020, 1, 1),
        effective_until=dt.date(2019, 12, 31),
    )
    assert "effective_until" in errors_of(consignment)


def test_in_force_excludes_retired_and_future_records():
    current = ConsignmentFactory(effective_from=dt.date(2019, 4, 1))
    ConsignmentFactory(effective_from=dt.date(2006, 4, 1), effective_until=dt.date(2019, 3, 31))
    ConsignmentFactory(effective_from=dt.date(2099, 4, 1))
    assert list(Consignment.objects.in_force(on=dt.date(2026, 11, 24))) == [current]
