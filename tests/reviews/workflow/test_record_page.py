"""A record's staff page renders its sheet, history and workflow side once per change
stamp and day; who may see it, what they may do and the access log are still decided
on every view."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accesslog.models import AccessEvent
from registry import roles
from reviews.workflow import services
from reviews.workflow.states import State
from tests.factories import BusinessFactory, ConsignmentFactory, SectionFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(section):
    return ConsignmentFactory(
        business=BusinessFactory(section=section), state=State.DRAFT, contractor_type="最初の業種"
    )


def _url(record) -> str:
    return reverse("consignments:detail", args=[record.pk])


def test_a_second_view_reads_no_history_but_is_logged(client, staff, record):
    client.force_login(staff)
    client.get(_url(record))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(_url(record)).content.decode()
    assert "最初の業種" in page
    assert "審査に提出する" in page
    assert not [q for q in queries if "reviews_transition" in q["sql"] or "historical" in q["sql"]]
    assert AccessEvent.objects.filter(record_ids=[record.pk]).count() == 2


def test_a_step_shows_at_once(client, staff, record):
    client.force_login(staff)
    client.get(_url(record))
    services.record_submit(actor=staff, record=record, comment="確認をお願いします")
    page = client.get(_url(record)).content.decode()
    assert "確認をお願いします" in page
    assert "審査に提出する" not in page


def test_another_sections_staff_never_get_it(client, staff, record):
    client.force_login(staff)
    assert client.get(_url(record)).status_code == 200
    client.force_login(user_with_role(roles.SECTION_STAFF, SectionFactory()))
    assert client.get(_url(record)).status_code == 404
