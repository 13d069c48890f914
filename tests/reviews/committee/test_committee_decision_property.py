"""A decision on an agenda item is all or nothing: whatever states its records are in,
recording it either moves every record (approved on the decision, or returned) or moves
none and leaves the item undecided."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registry import roles
from reviews.committee import services
from reviews.committee.models import AgendaItem
from reviews.workflow.states import UNDER_REVIEW_STATES, State
from tests.factories import (
    AgendaItemFactory,
    BusinessFactory,
    LinkageFactory,
    ProcessingFactory,
    agenda_record,
    user_with_role,
)

pytestmark = pytest.mark.django_db

PUT_FORWARD_STATES = [State.DRAFT, State.SUBMITTED, State.RETURNED, State.RESUBMITTED]


class Rollback(Exception):
    """Ends one example's savepoint, so examples do not see each other's rows."""


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    states=st.lists(st.sampled_from(PUT_FORWARD_STATES), min_size=1, max_size=4),
    decision=st.sampled_from(AgendaItem.Decision.values),
)
def test_a_decision_moves_every_record_or_none(states, decision):
    try:
        with transaction.atomic():
            reviewer = user_with_role(roles.REVIEWER)
            business = BusinessFactory()
            item = AgendaItemFactory(section=business.section)
            records = []
            for position, state in enumerate(states, start=1):
                factory = ProcessingFactory if position % 2 else LinkageFactory
                record = factory(business=business, state=state)
                agenda_record(item, record, position)
                records.append(record)
            try:
                services.agenda_item_decide(
                    actor=reviewer,
                    item=item,
                    decision=decision,
                    decided_on=dt.date(2024, 6, 20),
                    comment="理由",
                )
            except ValidationError:
                decided = False
            else:
                decided = True
            assert decided == all(state in UNDER_REVIEW_STATES for state in states)
            after = [type(r).objects.get(pk=r.pk) for r in records]
            item.refresh_from_db()
            if not decided:
                assert [r.state for r in after] == states
                assert item.decision == ""
            elif decision == AgendaItem.Decision.REJECTED:
                assert {r.state for r in after} == {State.RETURNED}
                assert {r.approval_agenda_item_id for r in after} == {None}
            else:
                assert {r.state for r in after} == {State.APPROVED}
                assert {r.approval_agenda_item_id for r in after} == {item.pk}
            raise Rollback
    except Rollback:
        pass
