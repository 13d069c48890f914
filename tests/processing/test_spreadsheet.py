"""電算処理 exports and imports like the other registers: its lists as cells, its
checklist as one column per row, new rows as drafts, changes through the services."""

import pytest
import tablib
from django.core.management import call_command
from django.urls import reverse

from exchange.spreadsheets import SpreadsheetCSV, read_csv
from processing.models import Processing, ProcessingMeasure
from processing.resources import ProcessingResource
from registry import roles
from reviews.workflow.models import Transition
from reviews.workflow.states import State
from tests.exchange.conftest import export_xlsx, load_xlsx
from tests.factories import BusinessFactory, ProcessingFactory, SectionFactory, user_with_role


@pytest.fixture
def section(db):
    return SectionFactory()


@pytest.fixture
def staff(section):
    return user_with_role(roles.SECTION_STAFF, section)


def errors_of(result) -> list[str]:
    return [m for row in result.invalid_rows for ms in row.error_dict.values() for m in ms]


def test_it_exports_the_lists_as_cells_and_the_checklist_as_columns(section):
    record = ProcessingFactory(business=BusinessFactory(section=section))
    measure = ProcessingMeasure.objects.filter(is_active=True).first()

    row = load_xlsx(export_xlsx(ProcessingResource)).dict[0]

    assert str(row["記録番号"]) == str(record.pk)
    assert row["件名"] == "税務システムの改修について"
    assert row["新規開発・追加・変更の内容"] == "連携データの作成"
    assert row["新規開発・追加・変更の時期"] == "令和7年4月 運用開始"
    assert row[f"チェックリスト：{measure.list_name} {measure.order}"] == "○"
    assert row["状態"] == "下書き"


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_an_unchanged_export_imports_back_as_nothing_changed(section, staff, file_format):
    ProcessingFactory(business=BusinessFactory(section=section))
    ProcessingFactory(business=BusinessFactory(section=section), state=State.APPROVED)
    before = ProcessingResource().export()
    if file_format == "xlsx":
        dataset = load_xlsx(export_xlsx(ProcessingResource))
    else:
        dataset = read_csv(SpreadsheetCSV().export_data(before))

    result = ProcessingResource(user=staff).import_data(dataset)

    assert not result.has_validation_errors(), errors_of(result)
    assert result.totals["skip"] == 2
    assert ProcessingResource().export().dict == before.dict


def test_a_changed_draft_gets_its_new_lists_and_answers_through_the_services(section, staff):
    record = ProcessingFactory(business=BusinessFactory(section=section))
    measure = ProcessingMeasure.objects.filter(is_active=True).first()
    column = f"チェックリスト：{measure.list_name} {measure.order}"
    dataset = load_xlsx(export_xlsx(ProcessingResource))
    row = {
        **dataset.dict[0],
        "件名": "税務システムの改修（第2期）",
        "新規開発・追加・変更の内容": "納付データの作成、送信\n照会画面の追加",
        "新規開発・追加・変更の時期": "令和７年１月（予定）　開発\n令和7年4月 運用開始",
        column: "ー",
    }
    changed = tablib.Dataset(headers=dataset.headers)
    changed.append([row[h] for h in dataset.headers])

    result = ProcessingResource(user=staff).import_data(changed)

    assert not result.has_validation_errors(), errors_of(result)
    record = Processing.objects.get()
    assert record.subject == "税務システムの改修（第2期）"
    assert [c.text for c in record.changes.all()] == ["納付データの作成、送信", "照会画面の追加"]
    assert [(m.on.isoformat(), m.planned, m.label) for m in record.milestones.all()] == [
        ("2025-01-01", True, "開発"),
        ("2025-04-01", False, "運用開始"),
    ]
    assert record.measures.get(measure=measure).get_answer_display() == "ー"
    assert record.lock_version == 2
    assert record.history.first().history_user == staff


def test_a_new_row_becomes_a_draft_with_its_audit_trail(section, staff):
    business = BusinessFactory(section=section)
    dataset = tablib.Dataset(
        headers=[
            "業務登録番号",
            "件名",
            "個人の範囲",
            "記録項目",
            "記録するコンピュータ",
            "新規開発・追加・変更の理由",
            "新規開発・追加・変更の内容",
            "新規開発・追加・変更の時期",
            "効力発生日",
        ]
    )
    dataset.append(
        [
            business.number,
            "新システム",
            "区民",
            "氏名",
            "基幹系",
            "法改正",
            "機能の追加",
            "令和8年4月（予定） 運用開始",
            "令和8年4月1日",
        ]
    )

    result = ProcessingResource(user=staff).import_data(dataset, file_name="電算処理.xlsx")

    assert not result.has_validation_errors(), errors_of(result)
    record = Processing.objects.get()
    assert (record.state, record.subject) == (State.DRAFT, "新システム")
    assert [m.label for m in record.milestones.all()] == ["運用開始"]
    transition = Transition.objects.get(object_id=record.pk)
    assert transition.actor == staff and "電算処理.xlsx" in transition.comment


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("新規開発・追加・変更の時期", "来年の春 開発", "「令和6年7月（予定） 開発」の形で"),
        ("新規開発・追加・変更の時期", "令和7年13月 開発", "新規開発・追加・変更の時期"),
        ("checklist", "△", "○（講じる）か ー（不要）で"),
    ],
)
def test_bad_cells_are_refused_in_japanese_and_nothing_is_saved(
    section, staff, column, value, message
):
    ProcessingFactory(business=BusinessFactory(section=section))
    measure = ProcessingMeasure.objects.filter(is_active=True).first()
    if column == "checklist":
        column = f"チェックリスト：{measure.list_name} {measure.order}"
    dataset = load_xlsx(export_xlsx(ProcessingResource))
    row = {**dataset.dict[0], column: value, "件名": "変更"}
    changed = tablib.Dataset(headers=dataset.headers)
    changed.append([row[h] for h in dataset.headers])

    result = ProcessingResource(user=staff).import_data(changed)

    assert result.has_validation_errors()
    assert any(message in error for error in errors_of(result)), errors_of(result)
    assert Processing.objects.get().subject == "税務システムの改修について"


def test_the_commands_export_and_import_processing(section, staff, tmp_path):
    ProcessingFactory(business=BusinessFactory(section=section))
    call_command(
        "export", "csv", "processing.Processing", "--user", staff.username, "--out", str(tmp_path)
    )
    [path] = tmp_path.iterdir()
    assert path.name.startswith("電算処理_")

    call_command(
        "import", "processing.Processing", str(path), "--user", staff.username, "--no-input"
    )

    assert Processing.objects.count() == 1


def test_section_staff_have_an_import_page_on_the_list(client, section, staff):
    client.force_login(staff)

    listing = client.get(reverse("processing:list")).content.decode()
    page = client.get(reverse("processing:import"))

    assert reverse("processing:import") in listing
    assert page.status_code == 200
