"""Who works in which section decides whose records a user sees: only clerks change it,
through the register service, and every change is kept with its author."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from registry import roles, services
from registry.models import Section, StaffMember
from tests.factories import SectionFactory, UserFactory, user_with_role

pytestmark = pytest.mark.usefixtures("seed")


def test_a_clerk_moves_a_user_to_another_section_with_history(client):
    clerk = user_with_role(roles.CLERK, is_staff=True)
    staff = user_with_role(roles.SECTION_STAFF, Section.objects.get(name="収納課"))
    member = StaffMember.objects.get(user=staff)
    other = SectionFactory()
    client.force_login(clerk)
    url = reverse("admin:registry_staffmember_change", args=[member.pk])
    response = client.post(url, {"user": staff.pk, "section": other.pk})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.section == other
    latest = member.history.latest()
    assert (latest.history_user, latest.section_id) == (clerk, other.pk)


def test_reviewers_and_staff_cannot_change_sections_of_users():
    target = UserFactory()
    section = SectionFactory()
    for actor in (
        user_with_role(roles.REVIEWER, is_staff=True),
        user_with_role(roles.SECTION_STAFF, section),
    ):
        with pytest.raises(PermissionDenied):
            services.staff_member_create(actor=actor, data={"user": target, "section": section})
    assert not StaffMember.objects.filter(user=target).exists()
