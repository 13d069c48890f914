"""Import and export through the admin: preview, confirm, history, background runs."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from consignments.models import Consignment
from consignments.resources import ConsignmentResource
from exchange.models import ImportRecord
from registry.models import Organization
from registry.resources import OrganizationResource
from registry.roles import CLERK, REVIEWER, SECTION_STAFF
from tests.exchange.conftest import load_xlsx, xlsx_bytes
from tests.factories import BusinessFactory, StaffMemberFactory, UserFactory, user_with_role

pytestmark = pytest.mark.usefixtures("seed")

IMPORT_URL = "admin:registry_organization_import"
HEADERS = ["名称", "住所", "約款による外部サービス", "備考"]


def upload(rows, name="相手方.xlsx", headers=HEADERS):
    return SimpleUploadedFile(name, xlsx_bytes(headers, rows))


def test_the_preview_lists_each_bad_row_in_japanese_and_offers_no_confirm(
    admin_client, post_to_worker
):
    response = post_to_worker(
        admin_client,
        reverse(IMPORT_URL),
        {
            "format": "0",
            "import_file": upload(
                [["株式会社新規", "東京都練馬区1-1", "□", ""], ["株式会社誤り", "", "たぶん", ""]]
            ),
        },
    )
    page = admin_client.get(response.url).content.decode()
    assert "3行目 「約款による外部サービス」の値「たぶん」: チェック欄は" in page
    assert "取り込みを実行" not in page
    assert not Organization.objects.filter(name="株式会社新規").exists()


def test_a_confirmed_import_saves_every_row_and_records_who_imported_which_file(
    admin_client, superuser, post_to_worker
):
    response = post_to_worker(
        admin_client,
        reverse(IMPORT_URL),
        {"format": "0", "import_file": upload([["株式会社新規", "東京都練馬区1-1", "○", "メモ"]])},
    )
    record = ImportRecord.objects.get()
    assert response.url == reverse("admin:exchange_importrecord_progress", args=[record.pk])
    page = admin_client.get(response.url).content.decode()
    assert "取り込みを実行" in page and "株式会社新規" in page
    assert not Organization.objects.filter(name="株式会社新規").exists()  # only checked
    post_to_worker(admin_client, reverse("admin:exchange_importrecord_run", args=[record.pk]))

    created = Organization.objects.get(name="株式会社新規")
    assert created.is_terms_of_service is True
    record.refresh_from_db()
    assert (record.user, record.file_name, record.register) == (superuser, "相手方.xlsx", "相手方")
    assert record.state == ImportRecord.State.DONE
    assert record.counts == {"new": 1}


def test_the_export_button_gives_an_xlsx_with_japanese_headers(admin_client):
    response = admin_client.post(
        reverse("admin:consignments_consignment_export"),
        {"format": "0", "resource": "0", **_all_export_fields()},
    )
    assert response.status_code == 200
    dataset = load_xlsx(response.content)
    assert dataset.headers[:4] == ["記録番号", "業務登録番号", "所管課名", "業務の名称"]
    assert len(dataset) == Consignment.objects.count()


def _all_export_fields() -> dict:
    resource = ConsignmentResource()
    return {f"consignmentresource_{name}": "on" for name in resource.fields}


def test_a_file_is_checked_and_imported_by_the_task_worker(
    admin_client, superuser, django_capture_on_commit_callbacks, task_worker
):
    rows = [[f"株式会社{n}", f"東京都練馬区{n}", "□", ""] for n in range(5)]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse(IMPORT_URL), {"format": "0", "import_file": upload(rows)}
        )
    record = ImportRecord.objects.get()
    progress_url = reverse("admin:exchange_importrecord_progress", args=[record.pk])
    assert response.status_code == 302 and response.url == progress_url
    assert record.state == ImportRecord.State.PREVIEW_QUEUED
    assert "確認待ち" in admin_client.get(progress_url).content.decode()

    task_worker()
    record.refresh_from_db()
    assert record.state == ImportRecord.State.PREVIEWED
    assert not Organization.objects.filter(name="株式会社0").exists()  # only checked
    assert "取り込みを実行" in admin_client.get(progress_url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("admin:exchange_importrecord_run", args=[record.pk]))
    task_worker()

    record.refresh_from_db()
    assert record.state == ImportRecord.State.DONE
    assert Organization.objects.filter(name__startswith="株式会社").count() >= 5
    progress = admin_client.get(
        reverse("admin:exchange_importrecord_progress_json", args=[record.pk])
    ).json()
    assert progress == {
        "state": "done",
        "state_label": "取り込み完了",
        "processed_rows": 5,
        "total_rows": 5,
        "percent": 100,
        "working": False,
    }
    assert bytes(record.file_data) == b""


def test_a_file_with_errors_is_refused_in_the_background(
    admin_client, django_capture_on_commit_callbacks, task_worker
):
    rows = [["株式会社A", "", "□", ""], ["", "東京都", "□", ""]]
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse(IMPORT_URL), {"format": "0", "import_file": upload(rows)})
    task_worker()

    record = ImportRecord.objects.get()
    assert record.state == ImportRecord.State.REFUSED
    assert record.messages == ["3行目 「名称」の値「」: このフィールドは空ではいけません。"]
    page = admin_client.get(
        reverse("admin:exchange_importrecord_progress", args=[record.pk])
    ).content.decode()
    assert "何も保存していません" in page and "取り込みを実行" not in page
    assert not Organization.objects.filter(name="株式会社A").exists()


def test_someone_elses_import_history_is_not_shown(client, admin_client, superuser):
    admin_client.post(
        reverse(IMPORT_URL), {"format": "0", "import_file": upload([["株式会社X", "", "", ""]])}
    )
    record = ImportRecord.objects.create(
        user=superuser,
        register="相手方",
        file_name="a.xlsx",
        file_format="xlsx",
        state=ImportRecord.State.DONE,
    )
    # Another admin user (a reviewer: the admin is for reviewers, clerks and superusers;
    # the clerk keeps every import run, tests/exchange/test_import_recovery.py).
    other = user_with_role(REVIEWER)
    client.force_login(other)
    url = reverse("admin:exchange_importrecord_progress", args=[record.pk])
    assert client.get(url).status_code == 404


def test_import_needs_login_and_the_add_permission(client):
    url = reverse(IMPORT_URL)
    assert client.get(url).status_code == 302
    # A staff-status user in no role group is kept out of the admin altogether.
    client.force_login(UserFactory(is_staff=True))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_section_staff_may_import_only_their_own_sections_form2(client):
    staff = StaffMemberFactory()
    staff.user.is_staff = True
    staff.user.save()
    staff.user.groups.add(Group.objects.get(name=SECTION_STAFF))
    own = BusinessFactory(section=staff.section)
    dataset = ConsignmentResource().export()
    rows = [list(row) for row in dataset][:1]
    rows[0][dataset.headers.index("個人情報保護管理責任者")] = "別の課長"  # a change
    first_business = rows[0][dataset.headers.index("業務登録番号")]
    rows.append(list(rows[0]))
    rows[1][dataset.headers.index("業務登録番号")] = own.number
    rows[1][dataset.headers.index("記録番号")] = ""  # a new row for the own section
    data = xlsx_bytes(dataset.headers, rows)

    result = ConsignmentResource(user=staff.user).import_data(
        load_xlsx(data), rollback_on_validation_errors=True
    )

    messages = [m for row in result.invalid_rows for ms in row.error_dict.values() for m in ms]
    assert messages == [
        f"2行目 業務「{first_business}」は区民部 収納課の業務です。"
        f"取り込めるのは自課（{staff.section}）の記録だけです。"
    ]
    assert not Consignment.objects.filter(business=own).exists()


def test_export_of_organizations_round_trips_through_the_command_line(tmp_path):
    path = tmp_path / "相手方.csv"
    clerk = user_with_role(CLERK)
    call_command(
        "export",
        "csv",
        "registry.resources.OrganizationResource",
        "--user",
        clerk.username,
        "--out",
        str(path),
    )
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0].lstrip("\ufeff") == ",".join(HEADERS)
    assert len(OrganizationResource().export()) == Organization.objects.count() == 7
