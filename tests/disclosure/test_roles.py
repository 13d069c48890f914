"""The role groups hold the disclosure permissions after migrate, whichever app's
post_migrate ran first: sync_roles creates every app's permissions before granting."""

import pytest
from django.contrib.auth.models import Group, Permission

from registry import roles
from registry.roles import sync_roles

pytestmark = pytest.mark.django_db


def codenames(group: str) -> set[str]:
    return set(
        Group.objects.get(name=group)
        .permissions.filter(content_type__app_label="disclosure")
        .values_list("codename", flat=True)
    )


def test_migrate_gave_the_clerk_and_the_sections_their_disclosure_permissions():
    assert {"add_disclosurerequest", "change_decision", "view_purge"} <= codenames(roles.CLERK)
    assert codenames(roles.SECTION_STAFF) == {
        "view_disclosurerequest",
        "view_askedsection",
        "add_decision",
        "change_decision",
        "view_decision",
    }
    assert codenames(roles.REVIEWER) == set()


def test_sync_roles_creates_missing_permissions_before_granting_them():
    Permission.objects.filter(content_type__app_label="disclosure").delete()
    sync_roles()
    assert "view_disclosurerequest" in codenames(roles.CLERK)
