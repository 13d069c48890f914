"""Pre-approval report pages: who may see and change which report, filing a report with
its items in one save, and refusing an invalid item without saving anything."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from registry import roles
from reviews.council.services import report_save
from reviews.models import PreApprovalReport, ReportItem
from tests.factories import (
    PreApprovalCategoryFactory,
    PreApprovalReportFactory,
    ReportItemFactory,
    SectionFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    own, other = SectionFactory(name="収納課"), SectionFactory(name="税務課")
    users = {
        "no_role": user_with_role(None),
        "own_staff": user_with_role(roles.SECTION_STAFF, own),
        "other_staff": user_with_role(roles.SECTION_STAFF, other),
        "reviewer": user_with_role(roles.REVIEWER),
        "clerk": user_with_role(roles.CLERK),
        "superuser": user_with_role(None, is_superuser=True, is_staff=True),
    }
    report = PreApprovalReportFactory(section=own, overview="収納課の報告")
    ReportItemFactory(report=report)
    other_report = PreApprovalReportFactory(section=other, overview="税務課の報告")
    return {
        "own": own,
        "other": other,
        "users": users,
        "report": report,
        "other_report": other_report,
    }


def as_user(client, world, role):
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client


def item_data(prefix: str, **values) -> dict:
    data = {
        "name": "",
        "applies_from": "",
        "is_planned": "on",
        "category": "",
        "personal_data_sent": "",
        "personal_data_received": "",
        "personal_data_sent_name": "",
        "personal_data_received_name": "",
        "contractors": "",
        "example_note": "",
        "new_example": "",
    } | values
    return {f"{prefix}-{key}": value for key, value in data.items()}


def report_post(items: list[dict], initial: int = 0, **fields) -> dict:
    data = {
        "title": "外部委託に関する審議会事前一括承認基準の適用について",
        "reported_on": "令和8年4月1日",
        "overview": "新たな納付方法を導入する。",
        "protection": "契約時に個人情報の保護を義務付ける。",
        "attachments": "外部委託記録票",
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": str(initial),
        "items-MIN_NUM_FORMS": "1",
        "items-MAX_NUM_FORMS": "1000",
        "save": "",
    } | fields
    for index, values in enumerate(items):
        data |= item_data(f"items-{index}", **values)
    return data


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("no_role", 404),
        ("own_staff", 200),
        ("other_staff", 404),
        ("reviewer", 200),
        ("clerk", 200),
        ("superuser", 200),
    ],
)
def test_it_shows_a_report_only_to_its_section_and_the_privacy_office(
    client, world, role, expected
):
    response = as_user(client, world, role).get(
        reverse("council:report_detail", args=[world["report"].pk])
    )
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith("/accounts/login/")
    if expected == 200:
        assert "収納課の報告" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("no_role", 404),
        ("own_staff", 200),
        ("other_staff", 404),
        ("reviewer", 403),
        ("clerk", 403),
        ("superuser", 200),
    ],
)
def test_it_lets_only_the_own_section_edit_a_report(client, world, role, expected):
    url = reverse("council:report_edit", args=[world["report"].pk])
    client = as_user(client, world, role)
    assert client.get(url).status_code == expected
    response = client.post(url, report_post([], overview="書き換え"))
    assert response.status_code == expected
    world["report"].refresh_from_db()
    assert world["report"].overview == "収納課の報告"  # no items posted: refused whole


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("no_role", 403),
        ("own_staff", 200),
        ("other_staff", 200),
        ("reviewer", 403),
        ("clerk", 403),
        ("superuser", 200),
    ],
)
def test_it_lets_only_section_staff_open_a_new_report(client, world, role, expected):
    assert as_user(client, world, role).get(reverse("council:report_new")).status_code == expected


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("own_staff", {"収納課の報告"}),
        ("other_staff", {"税務課の報告"}),
        ("no_role", set()),
        ("reviewer", {"収納課の報告", "税務課の報告"}),
        ("clerk", {"収納課の報告", "税務課の報告"}),
    ],
)
def test_it_lists_the_sections_own_reports_and_all_for_the_privacy_office(
    client, world, role, visible
):
    response = as_user(client, world, role).get(reverse("council:report_list"))
    assert response.status_code == 200
    listed = {report.overview for report in response.context["page"]}
    assert listed == visible


def test_the_list_sends_anonymous_users_to_the_login(client):
    response = client.get(reverse("council:report_list"))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/reports/"


def test_it_creates_a_report_with_two_items_for_the_staffs_own_section(client, world):
    seventeen = PreApprovalCategoryFactory(number=17)
    sixteen = PreApprovalCategoryFactory(number=16)
    client.force_login(world["users"]["own_staff"])
    data = report_post(
        [
            {
                "name": "電子マネーによる納付",
                "applies_from": "平成31年4月",
                "category": seventeen.pk,
                "contractors": "（ア）収納代行事業者",
                "new_example": "電子マネーによる収納業務",
                "example_note": "「電子マネーによる収納業務」を追加する。",
            },
            {
                "name": "ペイジーによる納付",
                "applies_from": "2020-01-15",
                "category": sixteen.pk,
                "contractors": "（ア）日本マルチペイメントネットワーク運営機構",
                "personal_data_sent": "税目、納付書番号",
            },
        ]
    )
    response = client.post(reverse("council:report_new"), data)
    report = PreApprovalReport.objects.exclude(
        pk__in=[world["report"].pk, world["other_report"].pk]
    ).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("council:report_detail", args=[report.pk])
    assert report.section == world["own"]
    items = list(report.items.order_by("position"))
    assert [(i.position, i.name, i.category.number) for i in items] == [
        (1, "電子マネーによる納付", 17),
        (2, "ペイジーによる納付", 16),
    ]
    # 平成31年4月 was typed as a month and prints as one; a full date prints as a date.
    assert items[0].applies_from_display == "平成31年4月（予定）"
    assert items[1].applies_from_display == "令和2年1月15日（予定）"
    assert items[0].new_example == "電子マネーによる収納業務"


def test_it_ignores_a_posted_section_and_files_under_the_staffs_own(client, world):
    category = PreApprovalCategoryFactory()
    client.force_login(world["users"]["own_staff"])
    data = report_post(
        [
            {
                "name": "項目",
                "applies_from": "令和8年4月1日",
                "category": category.pk,
                "contractors": "委託先",
            }
        ],
        section=world["other"].pk,
    )
    assert client.post(reverse("council:report_new"), data).status_code == 302
    assert PreApprovalReport.objects.filter(section=world["other"]).count() == 1  # the factory's


def test_it_refuses_an_invalid_item_and_saves_nothing(client, world):
    category = PreApprovalCategoryFactory()
    client.force_login(world["users"]["own_staff"])
    before = (PreApprovalReport.objects.count(), ReportItem.objects.count())
    data = report_post(
        [
            {
                "name": "正しい項目",
                "applies_from": "令和8年4月1日",
                "category": category.pk,
                "contractors": "委託先",
            },
            {
                "name": "日付の誤り",
                "applies_from": "令和8年13月1日",
                "category": "",
                "contractors": "委託先",
            },
        ]
    )
    response = client.post(reverse("council:report_new"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "該当する類型を選んでください。" in page
    assert "何も保存されていません" in page
    assert (PreApprovalReport.objects.count(), ReportItem.objects.count()) == before


def test_it_refuses_a_report_without_items(client, world):
    client.force_login(world["users"]["own_staff"])
    response = client.post(reverse("council:report_new"), report_post([]))
    assert "項目を少なくとも1件入力してください。" in response.content.decode()
    assert PreApprovalReport.objects.count() == 2


def test_it_refuses_a_new_example_on_an_item_that_fits_an_existing_one(client, world):
    category = PreApprovalCategoryFactory()
    client.force_login(world["users"]["own_staff"])
    data = report_post(
        [
            {
                "name": "項目",
                "applies_from": "令和8年4月1日",
                "category": category.pk,
                "contractors": "委託先",
                "fits_existing_example": "on",
                "new_example": "新しい事例",
            }
        ]
    )
    response = client.post(reverse("council:report_new"), data)
    assert (
        "既存の事例に該当する場合は、追加する事例を入力しないでください。"
        in response.content.decode()
    )
    assert PreApprovalReport.objects.count() == 2


def test_editing_renumbers_the_items_and_deletes_the_marked_one(client, world):
    report = world["report"]
    first = report.items.get()
    second = ReportItemFactory(report=report, name="二つ目", position=2)
    client.force_login(world["users"]["own_staff"])
    data = report_post([], initial=2, overview="改めた概要")
    data["items-TOTAL_FORMS"] = "2"
    for index, item in enumerate([first, second]):
        data |= item_data(
            f"items-{index}",
            id=item.pk,
            name=item.name,
            applies_from="令和2年1月1日",
            category=item.category_id,
            contractors=item.contractors,
        )
    data["items-0-DELETE"] = "on"
    response = client.post(reverse("council:report_edit", args=[report.pk]), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.overview == "改めた概要"
    assert [(i.pk, i.position) for i in report.items.all()] == [(second.pk, 1)]


def test_the_preview_button_checks_and_suggests_without_saving(client, world):
    category = PreApprovalCategoryFactory()
    client.force_login(world["users"]["own_staff"])
    data = report_post(
        [
            {
                "name": "項目",
                "applies_from": "令和8年4月1日",
                "category": category.pk,
                "contractors": "金融機関以外の者が税金を領収",
            }
        ]
    )
    del data["save"]
    data["preview"] = ""
    response = client.post(reverse("council:report_new"), data)
    assert response.status_code == 200
    assert "入力内容に誤りはありません" in response.content.decode()
    assert f"類型 {category.printed_number}" in response.content.decode()
    assert PreApprovalReport.objects.count() == 2


def test_the_save_service_refuses_staff_of_another_section(world):
    category = PreApprovalCategoryFactory()
    item = {
        "name": "項目",
        "applies_from": dt.date(2026, 4, 1),
        "category": category,
        "contractors": "委託先",
    }
    with pytest.raises(PermissionDenied):
        report_save(
            actor=world["users"]["other_staff"],
            section=world["own"],
            data={"overview": "他課の報告"},
            items=[item],
        )
    with pytest.raises(PermissionDenied):
        report_save(
            actor=world["users"]["other_staff"],
            report=world["report"],
            data={"overview": "書き換え"},
            items=[item],
        )
    assert PreApprovalReport.objects.count() == 2
    world["report"].refresh_from_db()
    assert world["report"].overview == "収納課の報告"
