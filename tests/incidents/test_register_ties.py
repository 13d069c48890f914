"""Incidents tied to the register: the Form 2 and file book admin pages list them, the
annual summary counts them, the dashboard shows their clocks (red when overdue), the
reminders mail them once, and the roles hold their permissions after migrate."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from incidents.notices import incident_reminders_send, pending_incident_items
from incidents.summary import incident_summary
from notifications.services import reminders_send
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


def test_the_form2_and_file_book_admin_pages_list_their_incidents(client):
    consignment = ConsignmentFactory()
    file = PersonalInfoFileFactory(business=consignment.business)
    incident = IncidentFactory(title="委託先での紛失", section=consignment.business.section)
    incident.consignments.set([consignment])
    incident.files.set([file])
    client.force_login(user_with_role(None, is_superuser=True, is_staff=True))
    for model, pk in (
        ("consignments_consignment", consignment.pk),
        ("filebook_personalinfofile", file.pk),
    ):
        page = client.get(reverse(f"admin:{model}_change", args=[pk])).content.decode()
        assert "委託先での紛失" in page
        assert reverse("incidents:detail", args=[incident.pk]) in page


def test_the_annual_summary_counts_by_contractor_section_and_kind(client):
    section = SectionFactory(name="収納課")
    contractor = OrganizationFactory(name="株式会社委託")
    first = IncidentFactory(section=section, discovered_on=dt.date(2026, 5, 1))
    first.contractors.set([contractor])
    IncidentFactory(section=section, discovered_on=dt.date(2026, 6, 1), kind="loss", suspected=True)
    IncidentFactory(section=section, discovered_on=dt.date(2026, 3, 31))  # the year before
    summary = incident_summary(2026)
    assert summary.total == 2
    assert dict(summary.by_kind) == {"漏えい": 1, "滅失のおそれ": 1}
    assert dict(summary.by_section) == {str(section): 2}
    assert dict(summary.by_contractor) == {"株式会社委託": 1, "（委託先なし）": 1}
    client.force_login(user_with_role(roles.CLERK))
    page = client.get(reverse("publication:summary"), {"year": 2026}).content.decode()
    assert "令和8年度 漏えい等事案の状況" in page and "株式会社委託" in page


def test_the_dashboard_shows_an_overdue_clock_in_red_to_the_section_and_the_clerk(client):
    incident = IncidentFactory(sensitive=True, discovered_on=dt.date(2026, 4, 1))
    staff = user_with_role(roles.SECTION_STAFF, incident.section)
    other = user_with_role(roles.SECTION_STAFF, SectionFactory())
    clerk = user_with_role(roles.CLERK)
    today = dt.date(2026, 4, 6)
    items = pending_incident_items(staff, today)
    assert (items[0].kind, items[0].overdue) == ("漏えい等事案・速報（期限切れ）", True)
    assert pending_incident_items(clerk, today)
    assert pending_incident_items(other, today) == []
    client.force_login(staff)
    page = client.get(reverse("dashboard")).content.decode()
    assert 'class="overdue"' in page and "漏えい等事案・速報" in page


def test_reminders_go_once_per_person_with_the_periodic_run():
    incident = IncidentFactory(sensitive=True, discovered_on=dt.date(2026, 4, 1))
    user_with_role(roles.SECTION_STAFF, incident.section, email="staff@example.jp")
    user_with_role(roles.CLERK, email="clerk@example.jp")
    assert incident_reminders_send(today=dt.date(2026, 4, 2)) == 0
    assert reminders_send(today=dt.date(2026, 4, 4)) == 2  # 速報 due tomorrow
    assert "速報・期限が近づいています" in mail.outbox[0].subject
    assert reminders_send(today=dt.date(2026, 4, 4)) == 0
    assert reminders_send(today=dt.date(2026, 4, 6)) == 2  # now overdue
    assert "期限切れ" in mail.outbox[-1].subject


def test_every_role_holds_its_incident_permissions_after_migrate():
    """incidents is the last app migrate signals: its permissions did not exist yet when
    the roles were synced, until sync_roles created every app's permissions first."""
    Group.objects.all().delete()
    Permission.objects.filter(content_type__app_label="incidents").delete()
    call_command("migrate", verbosity=0)
    granted = {
        group.name: sorted(
            p.codename for p in group.permissions.filter(content_type__app_label="incidents")
        )
        for group in Group.objects.all()
    }
    assert granted == {
        roles.SECTION_STAFF: ["add_incident", "change_incident", "view_incident"],
        roles.REVIEWER: ["view_incident"],
        roles.CLERK: ["change_incident", "view_incident"],
    }


def test_the_contractor_s_admin_page_lists_its_incidents(client):
    contractor = OrganizationFactory(name="株式会社委託")
    incident = IncidentFactory(title="委託先での紛失")
    incident.contractors.set([contractor])
    client.force_login(user_with_role(None, is_superuser=True, is_staff=True))
    page = client.get(
        reverse("admin:registry_organization_change", args=[contractor.pk])
    ).content.decode()
    assert "委託先での紛失" in page
