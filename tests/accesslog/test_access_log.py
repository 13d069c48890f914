"""The access log: every view, print (single, batch, public) and export of records is
recorded with who, what, when and from where; the 事務局 reads and exports it; nobody
edits it; it is pruned after the retention period."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accesslog.admin import AccessEventResource
from accesslog.middleware import WATCHED
from accesslog.models import AccessEvent
from consignments.models import Consignment
from consignments.resources import ConsignmentResource
from registry import roles
from registry.models import Section
from tests.factories import ConsignmentFactory, user_with_role
from tests.url_walk import CONVERTER, Page

pytestmark = [pytest.mark.usefixtures("seed"), pytest.mark.xdist_group("url-walk")]
A = AccessEvent.Action


@pytest.fixture
def shuno(db):
    return user_with_role(roles.SECTION_STAFF, Section.objects.get(name="収納課"), username="s1")


@pytest.fixture
def clerk(db):
    return user_with_role(roles.CLERK, username="jimu1")


def _only_event() -> AccessEvent:
    event = AccessEvent.objects.get()
    return event


def test_it_records_a_staff_view_with_who_what_and_where(client, shuno):
    record = Consignment.objects.filter(business__section__name="収納課").first()
    client.force_login(shuno)
    assert client.get(reverse("consignments:detail", args=[record.pk])).status_code == 200
    event = _only_event()
    assert (event.user, event.username, event.action) == (shuno, "s1", A.VIEW)
    assert (event.record_type, event.record_ids) == ("consignments.Consignment", [record.pk])
    assert event.address == "127.0.0.1"
    assert event.at > timezone.now() - dt.timedelta(minutes=1)


def test_it_records_a_print_and_a_public_print(client, shuno):
    record = Consignment.objects.filter(business__section__name="収納課").first()
    client.force_login(shuno)
    client.get(reverse("consignments:form2_pdf", args=[record.pk]))
    client.logout()
    public = Consignment.objects.in_force().first()
    assert client.get(reverse("publication:form2_pdf", args=[public.pk])).status_code == 200
    events = list(AccessEvent.objects.order_by("pk"))
    assert [(e.action, e.record_ids, e.username) for e in events] == [
        (A.PRINT, [record.pk], "s1"),
        (A.PUBLIC_PRINT, [public.pk], ""),
    ]


def test_it_records_nothing_for_a_refused_page(client, shuno):
    other = ConsignmentFactory()  # another section's record
    client.force_login(shuno)
    assert client.get(reverse("consignments:detail", args=[other.pk])).status_code == 404
    assert not AccessEvent.objects.exists()


def test_it_records_each_record_of_an_admin_batch_print(client, clerk):
    ids = list(Consignment.objects.values_list("pk", flat=True)[:2])
    client.force_login(clerk)
    response = client.post(
        reverse("admin:consignments_consignment_changelist"),
        {"action": "print_form2", "_selected_action": ids},
    )
    assert response["Content-Type"] == "application/pdf"
    event = _only_event()
    assert (event.action, event.record_ids, event.user) == (A.BATCH_PRINT, sorted(ids), clerk)


def test_it_records_each_record_of_an_export(client, clerk):
    client.force_login(clerk)
    fields = {f"consignmentresource_{name}": "on" for name in ConsignmentResource().fields}
    response = client.post(
        reverse("admin:consignments_consignment_export"), {"format": "0", "resource": "0", **fields}
    )
    assert response.status_code == 200
    event = _only_event()
    assert event.action == A.EXPORT
    assert event.record_ids == sorted(Consignment.objects.values_list("pk", flat=True))


@pytest.fixture
def record_pages(url_walk) -> list[Page]:
    """The session's walk (tests/conftest.py): the pages whose URL carries an id."""
    assert not url_walk.failures, "\n".join(url_walk.failures)
    return [page for page in url_walk.pages if CONVERTER.search(page.path)]


def test_every_page_that_shows_one_record_writes_an_entry(record_pages):
    """A page (or PDF) that shows a record the log watches, found by walking the URL
    resolver, is logged: a new one must be added to accesslog.middleware.WATCHED."""
    watched = {label for _, label in WATCHED.values()}
    shown = [p for p in record_pages if p.record.split(" ")[0] in watched]
    assert len(shown) > 40
    missing = [f"{p.path} ({p.url} as {p.role})" for p in shown if not p.logged]
    assert not missing, "\n".join(missing)


def test_the_clerk_reads_and_exports_the_log_and_nobody_edits_it(client, clerk, shuno):
    client.force_login(shuno)
    client.get(reverse("consignments:detail", args=[Consignment.objects.first().pk]))
    AccessEvent.objects.update(path='/=HYPERLINK("http://x")')
    client.force_login(clerk)
    listing = client.get(reverse("admin:accesslog_accessevent_changelist") + "?q=s1")
    assert listing.status_code == 200 and "s1" in listing.content.decode()
    event = AccessEvent.objects.get()
    change = client.post(
        reverse("admin:accesslog_accessevent_change", args=[event.pk]), {"username": "x"}
    )
    assert change.status_code == 403
    assert (
        client.post(
            reverse("admin:accesslog_accessevent_delete", args=[event.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    fields = {f"accesseventresource_{name}": "on" for name in AccessEventResource().fields}
    export = client.post(
        reverse("admin:accesslog_accessevent_export"), {"format": "0", "resource": "0", **fields}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("日時", "ユーザー名", "接続元")
    assert rows[1][1] == "s1"
    assert not str(rows[1][6]).startswith("=")  # no live formula
    client.force_login(shuno)
    assert client.get(reverse("admin:accesslog_accessevent_changelist")).status_code == 302


def test_housekeeping_prunes_old_events(client, shuno, settings):
    client.force_login(shuno)
    client.get(reverse("consignments:detail", args=[Consignment.objects.first().pk]))
    client.get(reverse("consignments:detail", args=[Consignment.objects.first().pk]))
    old = AccessEvent.objects.first()
    AccessEvent.objects.filter(pk=old.pk).update(
        at=timezone.now() - dt.timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS + 1)
    )
    call_command("housekeeping", stdout=io.StringIO())
    assert list(AccessEvent.objects.values_list("pk", flat=True)) != [old.pk]
    assert AccessEvent.objects.count() == 1


def test_an_event_without_a_record_type_has_a_readable_filter_link(client, clerk):
    AccessEvent.objects.create(username="x", action=A.VIEW, record_type="")
    client.force_login(clerk)
    page = client.get(reverse("admin:accesslog_accessevent_changelist")).content.decode()
    assert 'href="?record_type=">（種類なし）</a>' in page


def test_record_types_are_shown_and_filtered_by_their_names(client, clerk):
    AccessEvent.objects.create(username="x", action=A.VIEW, record_type="consignments.Consignment")
    AccessEvent.objects.create(username="x", action=A.VIEW, record_type="gone.Model")
    client.force_login(clerk)
    page = client.get(reverse("admin:accesslog_accessevent_changelist")).content.decode()
    assert 'href="?record_type=consignments.Consignment">外部委託記録票</a>' in page
    assert '<td class="field-record_type_display">外部委託記録票</td>' in page
    assert "consignments.Consignment<" not in page
    # A model no longer there is still named, by its label.
    assert 'href="?record_type=gone.Model">gone.Model</a>' in page
