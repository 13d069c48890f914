"""The incidents' write path: rights, history, validation, closing and release."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from incidents.models import Incident
from incidents.services import (
    incident_close,
    incident_create,
    incident_release,
    incident_update,
)
from registry import roles
from tests.factories import (
    ConsignmentFactory,
    IncidentFactory,
    OrganizationFactory,
    PersonalInfoFileFactory,
    SectionFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

DATA = {
    "title": "委託先での書類紛失",
    "discovered_on": dt.date(2026, 4, 1),
    "kind": Incident.Kind.LOSS,
    "summary": "委託先が申請書を紛失した。",
    "items": "氏名、住所",
    "people_count": 150,
}


def test_the_section_records_an_incident_with_its_records_and_the_history_names_it():
    section = SectionFactory()
    staff = user_with_role(roles.SECTION_STAFF, section)
    contractor = OrganizationFactory()
    consignment = ConsignmentFactory(business__section=section)
    file = PersonalInfoFileFactory(business=consignment.business)
    incident = incident_create(
        actor=staff,
        section=section,
        data=DATA | {"contractors": [contractor], "consignments": [consignment], "files": [file]},
    )
    assert incident.section == section
    assert list(consignment.incidents.all()) == [incident]
    assert list(file.incidents.all()) == [incident]
    # The creation and each list set after it are history rows, all naming the actor.
    assert {row.history_user for row in incident.history.all()} == {staff}
    assert incident.change_history()[0].kind == "作成"


def test_another_section_may_not_record_for_a_section():
    section = SectionFactory()
    outsider = user_with_role(roles.SECTION_STAFF, SectionFactory())
    with pytest.raises(PermissionDenied):
        incident_create(actor=outsider, section=section, data=DATA)
    assert not Incident.objects.exists()


@pytest.mark.parametrize("role", [roles.REVIEWER, roles.CLERK, None])
def test_only_section_staff_record_incidents(role):
    with pytest.raises(PermissionDenied):
        incident_create(actor=user_with_role(role), section=SectionFactory(), data=DATA)


def test_reviewers_read_but_do_not_change():
    incident = IncidentFactory()
    with pytest.raises(PermissionDenied):
        incident_update(actor=user_with_role(roles.REVIEWER), incident=incident, data={})


def test_the_clerk_records_the_reports_and_the_history_shows_the_change():
    incident = IncidentFactory(people_count=150)
    clerk = user_with_role(roles.CLERK, last_name="事務", first_name="花子")
    incident_update(
        actor=clerk, incident=incident, data={"preliminary_reported_on": dt.date(2026, 4, 3)}
    )
    last = incident.change_history()[-1]
    assert last.user == "事務 花子"
    assert [c.label for c in last.changes] == ["速報日"]


def test_fields_no_form_sets_are_refused():
    incident = IncidentFactory()
    staff = user_with_role(roles.SECTION_STAFF, incident.section)
    for field in ("section", "status", "released_on"):
        with pytest.raises(ValidationError):
            incident_update(actor=staff, incident=incident, data={field: None})


def test_bad_data_saves_nothing():
    incident = IncidentFactory(title="元の件名")
    staff = user_with_role(roles.SECTION_STAFF, incident.section)
    with pytest.raises(ValidationError) as error:
        incident_update(
            actor=staff,
            incident=incident,
            data={"title": "新しい件名", "occurred_on": dt.date(2026, 5, 1)},
        )
    assert "発生日は発覚日より後にできません。" in error.value.messages
    incident.refresh_from_db()
    assert incident.title == "元の件名"


def test_a_known_count_cannot_also_be_a_risk_of_more_than_100():
    with pytest.raises(ValidationError):
        IncidentFactory.build(people_count=3, count_may_exceed_100=True).full_clean()


def test_an_incident_closes_only_once_reports_and_notices_are_done():
    incident = IncidentFactory(people_count=150)
    staff = user_with_role(roles.SECTION_STAFF, incident.section)
    with pytest.raises(ValidationError) as error:
        incident_close(actor=staff, incident=incident)
    assert "速報・確報・本人への通知が済んでいない" in error.value.messages[0]
    incident_update(
        actor=staff,
        incident=incident,
        data={
            "preliminary_reported_on": dt.date(2026, 4, 3),
            "final_reported_on": dt.date(2026, 4, 20),
            "notified_on": dt.date(2026, 4, 10),
        },
    )
    assert incident_close(actor=staff, incident=incident).status == Incident.Status.CLOSED
    with pytest.raises(ValidationError):
        incident_update(actor=staff, incident=incident, data={"title": "後から"})


def test_only_the_clerk_releases_and_only_with_a_public_summary_and_no_exception():
    incident = IncidentFactory()
    staff = user_with_role(roles.SECTION_STAFF, incident.section)
    clerk = user_with_role(roles.CLERK)
    with pytest.raises(PermissionDenied):
        incident_release(actor=staff, incident=incident)
    with pytest.raises(ValidationError):
        incident_release(actor=clerk, incident=incident)
    incident_update(
        actor=staff,
        incident=incident,
        data={"public_summary": "納付書1件を誤送付", "publication_exception": "victim_wish"},
    )
    with pytest.raises(ValidationError):
        incident_release(actor=clerk, incident=incident)
    incident_update(actor=staff, incident=incident, data={"publication_exception": ""})
    released = incident_release(actor=clerk, incident=incident, on=dt.date(2026, 4, 20))
    assert released.released_on == dt.date(2026, 4, 20)


def test_an_exception_the_ward_does_not_recognise_is_refused(settings):
    settings.INCIDENTS_PUBLICATION_EXCEPTIONS = ["danger"]
    incident = IncidentFactory()
    with pytest.raises(ValidationError):
        incident_update(
            actor=user_with_role(roles.CLERK),
            incident=incident,
            data={"publication_exception": "victim_wish"},
        )
