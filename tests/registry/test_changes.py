"""The change stamp (registry.changes): every audited write raises it, so a page part
cached under it is rebuilt after any change and never served stale. A part the same for
everyone with its key (the public register, a record page's body, an admin page's parts)
is kept in the shared cache as well as in each process's memory: built once for every
process."""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from registry import roles
from registry.changes import (
    PageParts,
    cached,
    cached_for_everyone,
    change_stamp,
    change_stamp_bump,
)
from registry.models import ChangeStamp
from registry.services import organization_update
from reviews.workflow import services
from reviews.workflow.states import State
from tests.factories import ConsignmentFactory, OrganizationFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_an_audited_write_raises_the_stamp():
    organization = OrganizationFactory()
    before = change_stamp()
    organization_update(
        actor=user_with_role(roles.CLERK), organization=organization, data={"name": "新しい名称"}
    )
    assert change_stamp() > before


def test_a_bulk_write_without_history_signals_raises_it_too():
    record = ConsignmentFactory()
    staff = user_with_role(roles.SECTION_STAFF, section=record.business.section)
    before = change_stamp()
    services.record_create_many(
        actor=staff,
        model=type(record),
        entries=[services.RecordData(data=_copy(record))],
    )
    assert change_stamp() > before


def _copy(record) -> dict:
    """The factory record's own fields, as a sheet's row would give them."""
    return {
        f.name: getattr(record, f.name)
        for f in record._meta.concrete_fields
        if f.editable and f.name != "id" and f.name not in services.WORKFLOW_FIELDS
    }


def test_a_transaction_stamps_once_more_when_it_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        change_stamp_bump()
        during = change_stamp()
        change_stamp_bump()
    # One callback for the whole transaction, however many changes it made.
    assert len(callbacks) == 1
    assert change_stamp() > during


class Builds:
    """A part's build: returns how many times it has run."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> int:
        self.count += 1
        return self.count


def test_a_cached_part_is_rebuilt_after_a_change_and_only_then():
    build = Builds()
    assert cached("part", 1, build=build) == 1
    assert cached("part", 1, build=build) == 1
    assert cached("part", 2, build=build) == 2  # other parts: another entry
    OrganizationFactory()
    assert cached("part", 1, build=build) == 3


def test_a_shared_part_is_built_once_for_every_process():
    build = Builds()
    assert cached_for_everyone("shared-part", 1, build=build) == 1
    cache.clear()  # another process: nothing in its own memory
    assert cached_for_everyone("shared-part", 1, build=build) == 1
    assert build.count == 1
    OrganizationFactory()
    assert cached_for_everyone("shared-part", 1, build=build) == 2


def test_a_stamped_template_part_is_rendered_once_per_stamp_and_key():
    template = Template('{% load stamped %}{% stamped "part" parts %}{{ built }}{% endstamped %}')
    built = iter(range(10))

    def render(parts) -> str:
        return template.render(Context({"parts": parts, "built": lambda: next(built)}))

    def parts(key) -> PageParts:
        return PageParts(key=key, stamp=change_stamp())

    assert render(parts((1,))) == "0"
    assert render(parts((1,))) == "0"
    cache.clear()  # another process: the part is kept for every process
    assert render(parts((1,))) == "0"
    assert render(parts((2,))) == "1"
    assert render(None) == "2"  # no parts: rendered afresh
    assert render(None) == "3"
    OrganizationFactory()
    assert render(parts((1,))) == "4"


def test_the_record_page_shows_a_save_made_after_it_was_cached(client):
    record = ConsignmentFactory(contractor_type="旧い業種", state=State.DRAFT)
    staff = user_with_role(roles.SECTION_STAFF, section=record.business.section)
    client.force_login(staff)
    url = f"/consignments/{record.pk}/"
    assert "新しい業種" not in client.get(url).content.decode()
    record.refresh_from_db()
    services.record_save(
        actor=staff,
        record=record,
        data={"contractor_type": "新しい業種"},
        loaded_version=record.lock_version,
    )
    page = client.get(url).content.decode()
    assert "旧い業種" in page and "新しい業種" in page  # the history row: before and after


def test_a_record_page_built_by_one_process_serves_the_others(client):
    record = ConsignmentFactory(state=State.DRAFT)
    client.force_login(user_with_role(roles.SECTION_STAFF, section=record.business.section))
    url = f"/consignments/{record.pk}/"
    assert "変更履歴" in client.get(url).content.decode()
    cache.clear()  # another process: nothing in its own memory
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url).content.decode()
    assert "変更履歴" in again
    # The body (its sheet, history and steps) was not read again.
    assert not [q for q in queries if "historicalconsignment" in q["sql"]]


def test_housekeeping_keeps_only_the_newest_stamp():
    for _ in range(3):
        change_stamp_bump()
    newest = change_stamp()
    call_command("housekeeping", stdout=io.StringIO())
    assert list(ChangeStamp.objects.values_list("id", flat=True)) == [newest]
