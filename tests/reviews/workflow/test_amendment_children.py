"""An amendment starts from what was approved, child rows included (a Form 5's items and
checklist answers, a 電算処理's changes, milestones and answers): each copied row is
written with its history row naming who started the amendment."""

import pytest

from registry import roles
from reviews.workflow import services
from reviews.workflow.states import State
from tests.factories import (
    BusinessFactory,
    LinkageFactory,
    LinkageItemFactory,
    ProcessingFactory,
    ProtectionMeasureFactory,
    SectionFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


def child_rows(record) -> dict[str, list[tuple]]:
    """Each child list's rows as their values, the record they hang off left out."""
    rows = {}
    for name in record.child_lists:
        parent = type(record)._meta.get_field(name).field.name
        rows[name] = sorted(
            tuple(
                getattr(child, f.attname)
                for f in child._meta.concrete_fields
                if not f.primary_key and f.name != parent
            )
            for child in getattr(record, name).all()
        )
    return rows


@pytest.mark.parametrize(
    "factory", [LinkageFactory, ProcessingFactory], ids=["linkage", "processing"]
)
def test_every_copied_child_row_has_one_history_row_naming_the_actor(factory):
    section = SectionFactory()
    staff = user_with_role(roles.SECTION_STAFF, section)
    if factory is LinkageFactory:
        ProtectionMeasureFactory()  # a row for the checklist the factory answers
    record = factory(business=BusinessFactory(section=section), state=State.APPROVED)
    if factory is LinkageFactory:
        LinkageItemFactory(linkage=record)

    amendment = services.record_amend(actor=staff, record=record)

    assert child_rows(amendment) == child_rows(record)
    assert all(child_rows(amendment).values())  # every list had rows to copy
    for name in amendment.child_lists:
        for row in getattr(amendment, name).all():
            [history] = row.history.all()
            assert (history.history_type, history.history_user) == ("+", staff), name
