"""The dashboard reads its records' counts, lists and pending items once per change
stamp, day and kind of viewer (section, roles): a second view reads no record, an
audited write shows at once, and one section never gets another's. Notices, which are
no audited record, are read on every view."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consignments.models import Consignment
from notifications.models import Notice
from registry import roles
from reviews.workflow.states import State
from tests.factories import BusinessFactory, ConsignmentFactory, SectionFactory, user_with_role

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboard")


@pytest.fixture
def section():
    return SectionFactory()


def test_a_second_view_reads_no_record_but_the_notices(client, section):
    staff = user_with_role(roles.SECTION_STAFF, section)
    ConsignmentFactory(business=BusinessFactory(section=section), state=State.RETURNED)
    client.force_login(staff)
    client.get(DASHBOARD)
    Notice.objects.create(
        recipient=staff, kind=Notice.Kind.APPROVED, subject="【承認】新しいお知らせ"
    )
    with CaptureQueriesContext(connection) as queries:
        page = client.get(DASHBOARD).content.decode()
    assert "差し戻された記録票" in page
    assert "新しいお知らせ" in page
    assert not [q for q in queries if Consignment._meta.db_table in q["sql"]]


def test_a_write_shows_at_once(client, section):
    business = BusinessFactory(section=section)
    client.force_login(user_with_role(roles.SECTION_STAFF, section))
    assert "差し戻された記録票" not in client.get(DASHBOARD).content.decode()
    record = ConsignmentFactory(business=business, state=State.SUBMITTED)
    assert f"No.{record.pk}" in client.get(DASHBOARD).content.decode()
    record.state = State.RETURNED
    record.save()
    assert "差し戻された記録票" in client.get(DASHBOARD).content.decode()


def test_one_sections_records_are_never_shown_to_another(client, section):
    record = ConsignmentFactory(business=BusinessFactory(section=section), state=State.RETURNED)
    client.force_login(user_with_role(roles.SECTION_STAFF, section))
    assert f"No.{record.pk} " in client.get(DASHBOARD).content.decode()
    client.force_login(user_with_role(roles.SECTION_STAFF, SectionFactory()))
    page = client.get(DASHBOARD).content.decode()
    assert f"No.{record.pk} " not in page
    assert "差し戻された記録票" not in page
    client.force_login(user_with_role(roles.REVIEWER))
    assert f"No.{record.pk} " in client.get(DASHBOARD).content.decode()
