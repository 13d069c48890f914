"""Staff pages, the dashboard and the admin changelists cost the same number of queries
with a handful of records as with many: counts are aggregates, lists are pages, and
every column (the 効力 column included) is read with the page, never per row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consignments.models import Consignment
from filebook.models import PersonalInfoFile
from linkages.models import Linkage
from registry import roles
from reviews.workflow.states import State
from tests.factories import (
    BusinessFactory,
    ConsignmentFactory,
    LinkageFactory,
    OrganizationFactory,
    PersonalInfoFileFactory,
    SectionFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

STATES = [State.APPROVED, State.SUBMITTED, State.DRAFT, State.RETURNED, State.RETIRED]


def add_records(section, count: int) -> None:
    """`count` records of each type in every state, in one section."""
    organization = OrganizationFactory()
    for _ in range(count):
        for state in STATES:
            business = BusinessFactory(section=section)
            ConsignmentFactory(business=business, state=state).contractors.set([organization])
            LinkageFactory(business=business, state=state, partner=organization)
            PersonalInfoFileFactory(business=business, state=state)


def queries(client, url: str) -> int:
    client.get(url)  # what a process reads once (content types, the cached parts)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def admin_changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


STAFF_PAGES = ["dashboard", "consignments:list", "linkages:list", "filebook:list"]
ADMIN_PAGES = [Consignment, Linkage, PersonalInfoFile]


@pytest.fixture
def section():
    return SectionFactory()


@pytest.mark.parametrize("role", [roles.SECTION_STAFF, roles.REVIEWER, roles.CLERK])
def test_staff_pages_cost_the_same_at_two_sizes(client, section, role):
    client.force_login(user_with_role(role, section=section))
    add_records(section, 2)
    small = {name: queries(client, reverse(name)) for name in STAFF_PAGES}
    add_records(section, 12)
    large = {name: queries(client, reverse(name)) for name in STAFF_PAGES}
    assert large == small


@pytest.mark.parametrize("model", ADMIN_PAGES, ids=lambda m: m.__name__)
def test_admin_changelists_cost_the_same_at_two_sizes(client, section, model):
    client.force_login(user_with_role(roles.REVIEWER))
    add_records(section, 2)
    small = [queries(client, admin_changelist(model) + query) for query in ("", "?q=0")]
    add_records(section, 12)
    large = [queries(client, admin_changelist(model) + query) for query in ("", "?q=0")]
    assert large == small
    page = client.get(admin_changelist(model)).content.decode()
    assert "現在効力があります" in page  # the 効力 column, read with the page


def test_the_reviewers_dashboard_counts_each_record_table_once(client, section):
    client.force_login(user_with_role(roles.REVIEWER))
    add_records(section, 1)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("dashboard"))
    # The queue's size comes from the counts by state, not from counts of its own.
    assert page.context["queue_size"] == 2
    for table in ("consignments_consignment", "linkages_linkage"):
        counts = [q for q in captured if "COUNT(" in q["sql"] and f'FROM "{table}"' in q["sql"]]
        assert len(counts) == 1, counts
