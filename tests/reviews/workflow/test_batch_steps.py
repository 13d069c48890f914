"""Submitting and approving many records at once (a ward's register loaded in one go):
the same checks, rights, approved content and audit trail as one step at a time, all or
nothing, in a number of queries that does not grow with the records."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consignments.models import Consignment
from linkages.models import Linkage
from registry import roles
from reviews.models import Transition
from reviews.workflow import services
from reviews.workflow.states import State
from tests.factories import (
    BusinessFactory,
    ConsignmentFactory,
    LinkageFactory,
    OrganizationFactory,
    PreApprovalCategoryFactory,
    SectionFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def category():
    return PreApprovalCategoryFactory(number=17)


def drafts(section, count: int) -> list[Consignment]:
    business = BusinessFactory(section=section)
    records = ConsignmentFactory.create_batch(count, business=business, state=State.DRAFT)
    for record in records:
        record.contractors.set([OrganizationFactory()])
    return records


def ids(records) -> list[int]:
    return [record.pk for record in records]


def test_it_submits_and_approves_with_a_transition_and_a_snapshot_each(
    section, staff, reviewer, category
):
    records = drafts(section, 3)
    services.records_submit_many(actor=staff, model=Consignment, record_ids=ids(records))
    services.records_approve_many(
        actor=reviewer, model=Consignment, record_ids=ids(records), category=category
    )
    for record in records:
        record.refresh_from_db()
        assert record.state == State.APPROVED
        assert record.approval_category == category and record.approved_at
        assert list(record.categories.all()) == [category]  # cites its basis
        # What was approved is kept, as record_approve keeps it.
        assert record.approved_content == record.printed_content()
        assert record.approved_content["contractors"]
        assert record.lock_version == 3
        steps = record.transitions.order_by("pk").values_list(
            "action", "from_state", "to_state", "actor", "comment"
        )
        assert list(steps) == [
            ("submit", "draft", "submitted", staff.pk, ""),
            ("approve", "submitted", "approved", reviewer.pk, f"承認の根拠: {category}"),
        ]
        snapshot = record.history.order_by("-history_id").first()
        assert snapshot.history_type == "~" and snapshot.state == State.APPROVED
        assert snapshot.history_user == reviewer
        assert [c.preapprovalcategory_id for c in snapshot.categories.all()] == [category.pk]


def test_the_queries_do_not_grow_with_the_records(section, staff, reviewer, category):
    def queries(count: int) -> tuple[int, int]:
        records = drafts(section, count)
        with CaptureQueriesContext(connection) as submitted:
            services.records_submit_many(actor=staff, model=Consignment, record_ids=ids(records))
        with CaptureQueriesContext(connection) as approved:
            services.records_approve_many(
                actor=reviewer, model=Consignment, record_ids=ids(records), category=category
            )
        return len(submitted), len(approved)

    queries(1)  # the caches a first step fills (content types, roles)
    small = queries(2)
    # Records that do not cite their basis yet add it one by one (as record_approve
    # does); everything else is read and written in batches.
    submitted, approved = queries(12)
    assert submitted == small[0]
    assert (approved - small[1]) % 10 == 0 and approved - small[1] <= 10 * 3, (small, approved)


def test_one_refused_record_saves_nothing(section, staff, reviewer, category):
    records = drafts(section, 2)
    services.record_submit(actor=staff, record=records[0])
    with pytest.raises(services.WorkflowError):
        services.records_submit_many(actor=staff, model=Consignment, record_ids=ids(records))
    records[1].refresh_from_db()
    assert records[1].state == State.DRAFT
    assert not Transition.objects.filter(object_id=records[1].pk).exists()


def test_staff_of_another_section_may_not_submit_and_staff_may_not_approve(
    section, staff, category
):
    records = drafts(section, 2)
    stranger = user_with_role(roles.SECTION_STAFF, SectionFactory())
    with pytest.raises(PermissionDenied):
        services.records_submit_many(actor=stranger, model=Consignment, record_ids=ids(records))
    services.records_submit_many(actor=staff, model=Consignment, record_ids=ids(records))
    with pytest.raises(PermissionDenied):
        services.records_approve_many(
            actor=staff, model=Consignment, record_ids=ids(records), category=category
        )


def test_a_basis_is_required_and_an_invalid_record_is_named(section, staff, reviewer):
    records = drafts(section, 1)
    with pytest.raises(ValidationError, match="事前一括承認基準"):
        services.records_approve_many(actor=reviewer, model=Consignment, record_ids=ids(records))
    Consignment.objects.filter(pk=records[0].pk).update(manager="")
    with pytest.raises(ValidationError):
        services.records_submit_many(actor=staff, model=Consignment, record_ids=ids(records))
    with pytest.raises(ValidationError, match="見つかりません"):
        services.records_submit_many(actor=staff, model=Consignment, record_ids=[0])


def test_a_linkage_with_a_blank_checklist_is_not_submitted(section, staff, seed):
    linkage = LinkageFactory(
        business=BusinessFactory(section=section), state=State.DRAFT, checklist=False
    )
    with pytest.raises(ValidationError, match=f"No.{linkage.pk}"):
        services.records_submit_many(actor=staff, model=Linkage, record_ids=[linkage.pk])
