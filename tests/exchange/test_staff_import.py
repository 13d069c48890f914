"""Section staff import their own section's Form 2 / Form 5 records on the staff pages:
checked first, refused whole with the reasons, then saved all or nothing; clerks import
the shared registers in the admin."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consignments.models import Consignment
from consignments.resources import ConsignmentResource
from exchange.models import ImportRecord
from exchange.spreadsheets import SpreadsheetCSV
from linkages.resources import LinkageResource
from registry import roles
from registry.models import Organization
from reviews.workflow.states import State
from tests.exchange.conftest import xlsx_bytes
from tests.factories import (
    BusinessFactory,
    ConsignmentFactory,
    LinkageFactory,
    SectionFactory,
    UserFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def section():
    return SectionFactory()


@pytest.fixture
def staff(section):
    return user_with_role(roles.SECTION_STAFF, section)


def sheet(resource_class, record, **changes) -> bytes:
    """One record as the register exports it, with some cells changed, as CSV; without
    its 記録番号, so a changed key names another record (test_record_number covers it)."""
    dataset = resource_class().export(queryset=type(record).objects.filter(pk=record.pk))
    dataset.dict = [dict(dataset.dict[0]) | {"記録番号": ""} | changes]
    return SpreadsheetCSV().export_data(dataset)


@pytest.fixture
def upload(post_to_worker):
    """Upload a file on the staff page; the task worker then checks it."""

    def post(client, namespace: str, data: bytes, name: str = "台帳.csv"):
        return post_to_worker(
            client,
            reverse(f"{namespace}:import"),
            {"import_file": SimpleUploadedFile(name, data)},
        )

    return post


def test_anonymous_users_are_sent_to_the_login(client):
    response = client.get(reverse("consignments:import"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_reviewers_have_no_staff_import(client):
    client.force_login(user_with_role(roles.REVIEWER))
    assert client.get(reverse("consignments:import")).status_code == 403


def test_staff_check_then_import_their_own_sections_records(
    client, staff, section, upload, post_to_worker
):
    template = ConsignmentFactory(business=BusinessFactory(section=section))
    data = sheet(ConsignmentResource, template, **{"委託先業種": "取り込みで追加する業種"})
    client.force_login(staff)

    response = upload(client, "consignments", data)
    record = ImportRecord.objects.get()
    assert response["Location"] == reverse("consignments:import_status", args=[record.pk])
    assert record.state == ImportRecord.State.PREVIEWED
    page = client.get(response["Location"]).content.decode()
    assert "追加 1件" in page
    assert record.preview == [[2, "new", f"{template.business.number} 取り込みで追加する業種"]]
    assert "<td>追加</td><td>" in page
    assert "取り込みを実行" in page
    assert not Consignment.objects.filter(contractor_type="取り込みで追加する業種").exists()

    post_to_worker(client, reverse("consignments:import_status", args=[record.pk]))

    created = Consignment.objects.get(contractor_type="取り込みで追加する業種")
    assert created.state == State.DRAFT
    assert created.transitions.get().actor == staff
    record.refresh_from_db()
    assert (record.state, record.counts, record.user) == (
        ImportRecord.State.DONE,
        {"new": 1},
        staff,
    )


def test_a_row_of_another_section_refuses_the_whole_file(client, staff, section, upload):
    own = ConsignmentFactory(business=BusinessFactory(section=section))
    other = ConsignmentFactory(business=BusinessFactory(section=SectionFactory()))
    dataset = ConsignmentResource().export(
        queryset=Consignment.objects.filter(pk__in=[own.pk, other.pk]).order_by("pk")
    )
    rows = [dict(row) | {"委託先業種": f"新しい業種{n}"} for n, row in enumerate(dataset.dict)]
    dataset.dict = rows
    client.force_login(staff)

    response = upload(client, "consignments", SpreadsheetCSV().export_data(dataset))
    page = client.get(response["Location"]).content.decode()

    assert "取り込めるのは自課" in page
    assert "取り込みを実行" not in page
    assert ImportRecord.objects.get().state == ImportRecord.State.REFUSED
    assert not Consignment.objects.filter(contractor_type__startswith="新しい業種").exists()


def test_form5_records_import_on_their_staff_page(client, staff, section, upload, post_to_worker):
    draft = LinkageFactory(business=BusinessFactory(section=section), state=State.DRAFT)
    data = sheet(LinkageResource, draft, **{"電算結合の目的": "取り込みで変更した目的"})
    client.force_login(staff)
    response = upload(client, "linkages", data)
    record = ImportRecord.objects.get()
    assert record.state == ImportRecord.State.PREVIEWED, record.messages
    assert record.counts == {"update": 1}
    post_to_worker(client, response["Location"])
    draft.refresh_from_db()
    assert draft.purpose == "取り込みで変更した目的"
    assert draft.history.latest().history_user == staff


def test_an_unreadable_file_is_refused_on_its_page(client, staff, upload):
    client.force_login(staff)
    response = upload(client, "consignments", b"\x00\x01binary", name="x.xlsx")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Excel ファイル（.xlsx）として読めません" in page
    assert ImportRecord.objects.get().state == ImportRecord.State.REFUSED


def test_an_oversized_file_is_refused_on_the_form(client, staff, settings):
    settings.IMPORT_MAX_FILE_SIZE = 10
    client.force_login(staff)
    response = client.post(
        reverse("consignments:import"),
        {"import_file": SimpleUploadedFile("台帳.csv", b"a,b\n1,2\n3,4\n")},
    )
    assert response.status_code == 400
    assert "ファイルが大きすぎます" in response.content.decode()
    assert not ImportRecord.objects.exists()


def test_another_users_import_is_not_found(client, staff, section, upload):
    template = ConsignmentFactory(business=BusinessFactory(section=section))
    client.force_login(staff)
    upload(client, "consignments", sheet(ConsignmentResource, template, **{"委託先業種": "他人"}))
    record = ImportRecord.objects.get()
    client.force_login(user_with_role(roles.SECTION_STAFF, section))
    url = reverse("consignments:import_status", args=[record.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not Consignment.objects.filter(contractor_type="他人").exists()


def test_a_clerk_imports_a_shared_register_in_the_admin(client, post_to_worker):
    clerk = user_with_role(roles.CLERK)
    client.force_login(clerk)
    post_to_worker(
        client,
        reverse("admin:registry_organization_import"),
        {
            "format": "0",
            "import_file": SimpleUploadedFile(
                "相手方.xlsx", xlsx_bytes(["名称", "住所"], [["株式会社移行データ", "東京都"]])
            ),
        },
    )
    record = ImportRecord.objects.get()
    assert record.state == ImportRecord.State.PREVIEWED, record.messages
    post_to_worker(client, reverse("admin:exchange_importrecord_run", args=[record.pk]))
    created = Organization.objects.get(name="株式会社移行データ")
    assert created.history.get().history_user == clerk


def test_a_user_without_a_role_is_refused(client):
    client.force_login(UserFactory())
    assert client.get(reverse("linkages:import")).status_code == 403


def test_a_file_is_checked_by_the_worker_while_the_page_polls(
    client, staff, section, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    template = ConsignmentFactory(business=BusinessFactory(section=section))
    data = sheet(ConsignmentResource, template, **{"委託先業種": "大"})
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("consignments:import"),
            {"import_file": SimpleUploadedFile("台帳.csv", data)},
        )
    record = ImportRecord.objects.get()
    assert record.state == ImportRecord.State.PREVIEW_QUEUED
    assert DBTaskResult.objects.get().task_path == "exchange.tasks.run_import"
    page = client.get(response["Location"]).content.decode()
    # The page fetches its progress in place (tests/e2e/test_progress_polling.py); a meta
    # refresh would reload it under the reader.
    assert "js/poll_progress" in page and 'data-poll-seconds="3"' in page
    assert "http-equiv" not in page and "最新の状態を表示" in page
    assert "取り込みを実行" not in page
