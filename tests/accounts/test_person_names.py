"""A person is shown by name (姓 名) wherever the admin shows a user: list columns,
read-only fields, progress pages, list filters and the audit trail; the login name only
for an account without a name."""

import pytest
from django.urls import reverse

from accesslog.models import AccessEvent
from exchange.models import ExportRecord, ImportRecord
from notation.people import person_name
from printing.models import PrintJob
from registry.roles import CLERK
from reviews.workflow.models import Transition
from reviews.workflow.states import Action, State
from tests.factories import ConsignmentFactory, StaffMemberFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db

NAME = "審査 花子"


@pytest.fixture
def person():
    return UserFactory(username="shinsa", last_name="審査", first_name="花子")


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_one_way_of_naming_a_person(person):
    assert person_name(person) == str(person) == NAME
    assert str(UserFactory(username="noname", last_name="", first_name="")) == "noname"
    assert person_name(None) == "（システム）"


def test_the_admin_shows_people_by_name(admin_client, person):
    paths = ["registry.resources.OrganizationResource"]
    imported = ImportRecord.objects.create(
        user=person, register="相手方", resource_path=paths[0], file_name="a.csv",
        file_format="csv", state=ImportRecord.State.DONE,
    )  # fmt: skip
    exported = ExportRecord.objects.create(
        user=person, register="相手方", resource_path=paths[0], file_name="b.csv",
        file_format="csv", state=ExportRecord.State.DONE,
    )  # fmt: skip
    job = PrintJob.objects.create(kind="consignment", requested_by=person, total=1)
    Transition.objects.create(
        record=ConsignmentFactory(), action=Action.SUBMIT, to_state=State.SUBMITTED, actor=person
    )
    AccessEvent.objects.create(user=person, username="shinsa", action="view", path="/")
    StaffMemberFactory(user=person)
    pages = {
        "admin:exchange_importrecord_changelist": [],
        "admin:exchange_importrecord_progress": [imported.pk],
        "admin:exchange_exportrecord_changelist": [],
        "admin:exchange_exportrecord_progress": [exported.pk],
        "admin:printing_printjob_changelist": [],
        "admin:printing_printjob_change": [job.pk],
        "admin:reviews_transition_changelist": [],
        "admin:registry_staffmember_changelist": [],
        # The login name is kept in the log beside the name: it is what was typed.
        "admin:accesslog_accessevent_changelist": [],
    }
    for name, args in pages.items():
        html = admin_client.get(reverse(name, args=args)).content.decode()
        assert NAME in html, name
        if "accesslog" not in name:
            assert "shinsa" not in html, name


def test_the_access_log_filters_by_name(admin_client, person):
    AccessEvent.objects.create(user=person, username="shinsa", action="view", path="/")
    response = admin_client.get(reverse("admin:accesslog_accessevent_changelist"))
    filters = {spec.title: spec for spec in response.context["cl"].filter_specs}
    assert [label for _, label in filters["利用者"].lookup_choices] == [NAME]


def test_the_admin_greets_by_name(client):
    client.force_login(user_with_role(CLERK, last_name="事務", first_name="次郎"))
    page = client.get(reverse("admin:index")).content.decode()
    assert "<strong>事務 次郎</strong>" in page
