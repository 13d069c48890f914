"""The signed-in user comes with its roles, section, permissions and whether it has an
authenticator (accounts.backends), in a fixed number of queries, and each is still read
afresh on every request."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Authenticator
from accounts.services import has_second_factor
from registry import roles
from registry.access import role_names, section_of
from tests.factories import SectionFactory, user_with_role

pytestmark = pytest.mark.django_db


def _signed_in(client, user):
    """The user as the next request loads it."""
    client.force_login(user)
    request = client.get(reverse("dashboard")).wsgi_request
    return request.user


def test_roles_section_permissions_and_authenticator_come_with_the_user(client):
    section = SectionFactory()
    staff = user_with_role(roles.SECTION_STAFF, section)
    user = _signed_in(client, staff)
    with CaptureQueriesContext(connection) as queries:
        assert role_names(user) == {roles.SECTION_STAFF}
        assert section_of(user) == section
        assert user.has_perm("consignments.change_consignment")
        assert not user.has_perm("payments.change_channel")
        assert has_second_factor(user) is False
    assert len(queries) == 0


@pytest.mark.parametrize("role", [roles.SECTION_STAFF, roles.REVIEWER])
def test_a_signed_in_page_reads_the_user_in_two_queries(client, role):
    """The user with its staff member and section; its roles, permissions and
    authenticators. Before, a query each."""
    client.force_login(user_with_role(role, SectionFactory()))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("consignments:list")).status_code == 200
    about_the_user = [
        q["sql"]
        for q in queries
        if any(table in q["sql"] for table in ("auth_", "otp_", "registry_staffmember"))
    ]
    assert len(about_the_user) == 2, about_the_user


def test_a_role_taken_away_counts_at_the_next_request(client):
    reviewer = user_with_role(roles.REVIEWER)
    assert roles.REVIEWER in role_names(_signed_in(client, reviewer))
    reviewer.groups.remove(Group.objects.get(name=roles.REVIEWER))
    user = client.get(reverse("dashboard")).wsgi_request.user
    assert role_names(user) == frozenset()
    assert not user.has_perm("reviews.view_answer")


def test_an_authenticator_confirmed_elsewhere_is_asked_for_at_the_next_request(client):
    staff = user_with_role(roles.SECTION_STAFF, SectionFactory())
    client.force_login(staff)
    assert client.get(reverse("dashboard")).status_code == 200
    Authenticator.objects.create(user=staff, name="認証アプリ", confirmed=True)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:verify"))
