"""The reviewers' admin pages keep their costly parts (the changelist's rows, filters and
page links; the review panel; a read-only form) under the change stamp: served again
until something changes, and never after a change, a new day or by other rights."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notation import wareki
from registry import roles
from registry.services import section_update
from reviews.workflow import services
from reviews.workflow.states import State
from tests.factories import ConsignmentFactory, LinkageFactory, user_with_role

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:consignments_consignment_changelist")


def _change_url(record) -> str:
    return reverse("admin:consignments_consignment_change", args=[record.pk])


def _queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries]


def test_the_changelist_rows_are_read_once_until_a_change(client, reviewer):
    for _ in range(3):
        ConsignmentFactory()
    client.force_login(reviewer)
    first = _queries(client, CHANGELIST)
    again = _queries(client, CHANGELIST)
    rows = [sql for sql in first if sql.startswith('SELECT "consignments_consignment"."id"')]
    assert rows and not [sql for sql in again if sql in rows]

    ConsignmentFactory()  # audited: a new stamp
    assert [sql for sql in _queries(client, CHANGELIST) if sql in rows]


def test_the_changelist_shows_a_save_made_after_it_was_cached(client, staff, reviewer):
    record = ConsignmentFactory(
        business__section=staff.staff_member.section, state=State.DRAFT, contractor_type="旧い業種"
    )
    client.force_login(reviewer)
    assert "旧い業種" in client.get(CHANGELIST).content.decode()
    services.record_save(
        actor=staff,
        record=record,
        data={"contractor_type": "新しい業種"},
        loaded_version=record.lock_version,
    )
    page = client.get(CHANGELIST).content.decode()
    assert "新しい業種" in page and "旧い業種" not in page


def test_each_reviewer_and_each_address_has_its_own_rows(client, reviewer):
    ConsignmentFactory(contractor_type="承認済みの業種")
    ConsignmentFactory(state=State.DRAFT, contractor_type="下書きの業種")
    client.force_login(reviewer)
    assert "下書きの業種" in client.get(CHANGELIST).content.decode()
    approved = client.get(CHANGELIST, {"state__exact": "approved"}).content.decode()
    assert "承認済みの業種" in approved and "下書きの業種" not in approved


def test_the_section_filter_shows_a_section_renamed_after_it_was_cached(client, reviewer):
    record = ConsignmentFactory()
    section = record.business.section
    client.force_login(reviewer)
    client.get(CHANGELIST)
    assert not [sql for sql in _queries(client, CHANGELIST) if 'FROM "registry_section"' in sql]
    section_update(actor=user_with_role(roles.CLERK), section=section, data={"name": "改称後の課"})
    assert "改称後の課" in client.get(CHANGELIST, {"state__exact": "approved"}).content.decode()
    assert "改称後の課" in client.get(CHANGELIST).content.decode()


def test_the_state_and_validity_are_read_again_on_a_new_day(client, reviewer, monkeypatch):
    today = timezone.localdate()
    ConsignmentFactory(effective_from=today + dt.timedelta(days=1))
    client.force_login(reviewer)
    assert "から効力を持ちます（承認済み）" in client.get(CHANGELIST).content.decode()
    monkeypatch.setattr(timezone, "localdate", lambda *args: today + dt.timedelta(days=1))
    assert "現在効力があります" in client.get(CHANGELIST).content.decode()


def test_the_review_panel_shows_a_step_taken_after_it_was_cached(client, staff, reviewer):
    record = ConsignmentFactory(business__section=staff.staff_member.section, state=State.DRAFT)
    record = services.record_submit(actor=staff, record=record)
    client.force_login(reviewer)
    assert "承認する" in client.get(_change_url(record)).content.decode()
    services.record_return(actor=reviewer, record=record, comment="添付が足りません")
    page = client.get(_change_url(record)).content.decode()
    assert "添付が足りません" in page and "承認する" not in page


def test_the_buttons_are_those_of_the_user_who_asks(client, staff, reviewer):
    record = ConsignmentFactory(business__section=staff.staff_member.section, state=State.DRAFT)
    record = services.record_submit(actor=staff, record=record)
    client.force_login(reviewer)
    assert "承認する" in client.get(_change_url(record)).content.decode()
    client.force_login(user_with_role(roles.CLERK))
    assert "承認する" not in client.get(_change_url(record)).content.decode()


def test_a_read_only_form_shows_a_save_made_after_it_was_cached(client, staff, reviewer):
    record = ConsignmentFactory(
        business__section=staff.staff_member.section, state=State.DRAFT, manager="旧い課長"
    )
    client.force_login(reviewer)
    first = _queries(client, _change_url(record))
    contractors = [sql for sql in first if "consignments_consignment_contractors" in sql]
    assert contractors and not set(contractors) & set(_queries(client, _change_url(record)))
    services.record_save(
        actor=staff, record=record, data={"manager": "新しい課長"}, loaded_version=1
    )
    page = client.get(_change_url(record)).content.decode()
    assert "新しい課長" in page and "旧い課長" not in page


def test_a_read_only_form_shows_the_panels_of_the_day(client, reviewer, monkeypatch):
    linkage = LinkageFactory()  # in force: its flow diagram shows today's flows
    url = reverse("admin:linkages_linkage_change", args=[linkage.pk])
    client.force_login(reviewer)
    today = timezone.localdate()
    assert f"{wareki.format_date(today)}現在" in client.get(url).content.decode()
    tomorrow = today + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: tomorrow)
    assert f"{wareki.format_date(tomorrow)}現在" in client.get(url).content.decode()


def test_an_editable_form_is_rendered_for_each_request(client, staff):
    record = ConsignmentFactory(business__section=staff.staff_member.section, state=State.DRAFT)
    admin = user_with_role(None, is_staff=True, is_superuser=True)
    client.force_login(admin)
    client.get(_change_url(record))
    page = client.get(_change_url(record)).content.decode()
    assert 'name="manager"' in page  # an input, not the stored text


def test_the_sidebar_follows_the_users_rights(client, reviewer):
    client.force_login(reviewer)
    assert "/admin/auth/group/" not in client.get(CHANGELIST).content.decode()
    reviewer.user_permissions.add(Permission.objects.get(codename="view_group"))
    assert "/admin/auth/group/" in client.get(CHANGELIST).content.decode()


def test_the_sidebar_marks_the_page_it_is_on(client, reviewer):
    client.force_login(reviewer)
    client.get(CHANGELIST)
    page = client.get(reverse("admin:linkages_linkage_changelist")).content.decode()
    assert '<a href="/admin/linkages/linkage/" aria-current="page">' in page
    assert '<a href="/admin/consignments/consignment/" aria-current="page">' not in page
