import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from registry import roles
from reviews.council.services import consultation_create
from reviews.models import Consultation
from tests.factories import user_with_role


def open_consultation(on: dt.date, clerk=None) -> Consultation:
    clerk = clerk or user_with_role(roles.CLERK)
    return consultation_create(actor=clerk, consulted_on=on, subject="電算結合について")


@pytest.mark.django_db
def test_it_numbers_consultations_from_one_in_each_fiscal_year():
    numbers = [
        (c.fiscal_year_display, c.number)
        for c in [
            open_consultation(dt.date(2026, 4, 1)),
            open_consultation(dt.date(2026, 11, 24)),
            open_consultation(dt.date(2027, 3, 31)),
            open_consultation(dt.date(2027, 4, 1)),
        ]
    ]
    assert numbers == [("令和8年度", 1), ("令和8年度", 2), ("令和8年度", 3), ("令和9年度", 1)]


@pytest.mark.django_db
def test_cumulative_numbering_never_restarts(settings):
    settings.CONSULTATION_NUMBERING = "cumulative"
    first = open_consultation(dt.date(2027, 3, 31))
    second = open_consultation(dt.date(2027, 4, 1))
    assert (first.number, second.number) == (1, 2)


@pytest.mark.django_db
def test_a_refused_consultation_does_not_use_up_a_number():
    open_consultation(dt.date(2026, 5, 1))
    with pytest.raises(ValidationError, match="300 文字以下"):
        consultation_create(
            actor=user_with_role(roles.CLERK),
            consulted_on=dt.date(2026, 5, 2),
            subject="x" * 400,
        )
    assert open_consultation(dt.date(2026, 5, 3)).number == 2


# serialized_rollback like every transactional test here: the flush after it must not
# re-run post_migrate (the roles), or the next test restoring its data finds them twice.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_clerks_at_the_same_moment_get_different_numbers():
    clerk = user_with_role(roles.CLERK)  # the database is ready before the threads start
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def open_at_once() -> None:
        try:
            barrier.wait()
            open_consultation(dt.date(2026, 6, 1), clerk)
        except BaseException as error:  # reported below, not swallowed
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=open_at_once) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Consultation.objects.filter(fiscal_year=2026).values_list("number", flat=True))
    assert numbers == list(range(1, 9))
