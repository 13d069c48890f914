import datetime as dt

import pytest

from reviews.models import Answer
from tests.factories import AnswerFactory, CouncilMeetingFactory, ObligationFactory


@pytest.mark.usefixtures("seed")
def test_the_izumi_answer_history_is_built_from_the_records():
    answer = Answer.objects.get(number=9)
    assert str(answer) == "和泉個審答申第9号"
    assert answer.processing_history() == [
        (dt.date(2015, 3, 5), "諮問書の受理", []),
        (dt.date(2015, 3, 5), "審査会開催", ["事務局からの説明", "質疑応答", "審議"]),
        (dt.date(2015, 6, 26), "実施機関への答申", []),
    ]


@pytest.mark.django_db
def test_every_meeting_that_took_up_the_consultation_is_in_the_history():
    answer = AnswerFactory(answered_on=dt.date(2025, 9, 1))
    for day in (dt.date(2025, 8, 1), dt.date(2025, 7, 1)):
        CouncilMeetingFactory(held_on=day).consultations.add(answer.consultation)
    assert [step for _, step, _ in answer.processing_history()] == [
        "諮問書の受理", "審査会開催", "審査会開催", "実施機関への答申",
    ]  # fmt: skip


@pytest.mark.django_db
def test_an_open_obligation_past_its_due_date_is_overdue():
    assert ObligationFactory(due_on=dt.date(2020, 3, 31)).is_overdue
    assert not ObligationFactory(due_on=dt.date(2020, 3, 31), status="done").is_overdue
    assert not ObligationFactory(due_on=dt.date(2099, 3, 31)).is_overdue
