"""The staff lists of records are rendered once per change stamp, viewer's sections,
state filter, page and day: a second view reads no record, any audited write shows at
once, and one section's staff never get another's rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consignments.models import Consignment
from registry import roles
from reviews.workflow.states import State
from tests.factories import BusinessFactory, ConsignmentFactory, SectionFactory, user_with_role

pytestmark = pytest.mark.django_db

LIST = reverse("consignments:list")


@pytest.fixture
def section():
    return SectionFactory()


def _signed_in(client, role, section=None):
    client.force_login(user_with_role(role, section))
    return client


def test_a_second_view_reads_no_record(client, section):
    ConsignmentFactory(business=BusinessFactory(section=section), contractor_type="一回目")
    _signed_in(client, roles.SECTION_STAFF, section)
    client.get(LIST)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(LIST).content.decode()
    assert "一回目" in page
    table = Consignment._meta.db_table
    assert not [q["sql"] for q in queries if table in q["sql"]]


def test_a_write_shows_at_once(client, section):
    business = BusinessFactory(section=section)
    record = ConsignmentFactory(business=business, contractor_type="最初の業種")
    _signed_in(client, roles.SECTION_STAFF, section)
    assert "最初の業種" in client.get(LIST).content.decode()
    ConsignmentFactory(business=business, contractor_type="追加した業種")
    record.contractor_type = "直した業種"
    record.save()
    page = client.get(LIST).content.decode()
    assert "追加した業種" in page and "直した業種" in page
    assert "最初の業種" not in page


def test_one_sections_rows_are_never_shown_to_another(client, section):
    ConsignmentFactory(business=BusinessFactory(section=section), contractor_type="収納課の業種")
    _signed_in(client, roles.REVIEWER)
    assert "収納課の業種" in client.get(LIST).content.decode()
    _signed_in(client, roles.SECTION_STAFF, section)
    assert "収納課の業種" in client.get(LIST).content.decode()
    _signed_in(client, roles.SECTION_STAFF, SectionFactory())
    assert "収納課の業種" not in client.get(LIST).content.decode()


def test_each_state_filter_and_page_is_its_own(client, section):
    business = BusinessFactory(section=section)
    ConsignmentFactory(business=business, contractor_type="下書きの業種", state=State.DRAFT)
    ConsignmentFactory(business=business, contractor_type="承認済みの業種")
    _signed_in(client, roles.SECTION_STAFF, section)
    drafts = client.get(LIST, {"state": State.DRAFT}).content.decode()
    approved = client.get(LIST, {"state": State.APPROVED}).content.decode()
    assert "下書きの業種" in drafts and "承認済みの業種" not in drafts
    assert "承認済みの業種" in approved and "下書きの業種" not in approved
    assert 'value="draft" selected' in drafts
