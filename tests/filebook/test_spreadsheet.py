"""個人情報ファイル exports and imports like the other registers: one column per item of
the file book, new rows as drafts, changes through the services."""

import pytest
import tablib
from django.core.management import call_command
from django.urls import reverse

from exchange.spreadsheets import SpreadsheetCSV, read_csv
from filebook.models import PersonalInfoFile
from filebook.resources import PersonalInfoFileResource
from registry import roles
from reviews.workflow.models import Transition
from reviews.workflow.states import State
from tests.exchange.conftest import export_xlsx, load_xlsx
from tests.factories import (
    BusinessFactory,
    PersonalInfoFileFactory,
    SectionFactory,
    user_with_role,
)


@pytest.fixture
def section(db):
    return SectionFactory()


@pytest.fixture
def staff(section):
    return user_with_role(roles.SECTION_STAFF, section)


def errors_of(result) -> list[str]:
    return [m for row in result.invalid_rows for ms in row.error_dict.values() for m in ms]


def one_row(dataset: tablib.Dataset, **cells) -> tablib.Dataset:
    row = {**dataset.dict[0], **cells}
    out = tablib.Dataset(headers=dataset.headers)
    out.append([row[h] for h in dataset.headers])
    return out


def test_it_exports_every_item_in_words(section):
    record = PersonalInfoFileFactory(business=BusinessFactory(section=section), sensitive=True)

    row = load_xlsx(export_xlsx(PersonalInfoFileResource)).dict[0]

    assert str(row["記録番号"]) == str(record.pk)
    assert row["個人情報ファイルの名称"] == record.name
    assert row["記録項目"] == "氏名\n住所\n税額"
    assert row["個人情報ファイルの種別"] == "電算処理ファイル"
    assert row["本人の数"] == "1,000人以上"
    assert row["要配慮個人情報が含まれるときはその旨"] == "■"
    assert row["状態"] == "承認済み"


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_an_unchanged_export_imports_back_as_nothing_changed(section, staff, file_format):
    PersonalInfoFileFactory(business=BusinessFactory(section=section))
    PersonalInfoFileFactory(business=BusinessFactory(section=section), state=State.DRAFT)
    before = PersonalInfoFileResource().export()
    if file_format == "xlsx":
        dataset = load_xlsx(export_xlsx(PersonalInfoFileResource))
    else:
        dataset = read_csv(SpreadsheetCSV().export_data(before))

    result = PersonalInfoFileResource(user=staff).import_data(dataset)

    assert not result.has_validation_errors(), errors_of(result)
    assert result.totals["skip"] == 2
    assert PersonalInfoFileResource().export().dict == before.dict


def test_a_draft_changes_through_the_services_even_its_name(section, staff):
    draft = PersonalInfoFileFactory(business=BusinessFactory(section=section), state=State.DRAFT)
    dataset = load_xlsx(export_xlsx(PersonalInfoFileResource))

    result = PersonalInfoFileResource(user=staff).import_data(
        one_row(dataset, 個人情報ファイルの名称="改めた名称", 本人の数="1,000人未満")
    )

    assert not result.has_validation_errors(), errors_of(result)
    draft.refresh_from_db()
    assert (draft.name, draft.subject_count) == ("改めた名称", "under_1000")
    assert draft.lock_version == 2
    assert draft.history.first().history_user == staff
    assert PersonalInfoFile.objects.count() == 1


def test_a_new_row_becomes_a_draft_with_its_audit_trail(section, staff):
    business = BusinessFactory(section=section)
    dataset = tablib.Dataset(
        headers=[
            "業務登録番号",
            "個人情報ファイルの名称",
            "行政機関等の名称",
            "利用に供される事務をつかさどる組織の名称",
            "効力発生日",
        ]
    )
    dataset.append(
        [business.number, "新しいファイル", "練馬区長", "区民部 収納課", "令和8年4月1日"]
    )

    result = PersonalInfoFileResource(user=staff).import_data(dataset, file_name="ファイル簿.csv")

    assert not result.has_validation_errors(), errors_of(result)
    record = PersonalInfoFile.objects.get()
    assert (record.state, record.name) == (State.DRAFT, "新しいファイル")
    transition = Transition.objects.get(object_id=record.pk)
    assert transition.actor == staff and "ファイル簿.csv" in transition.comment


def test_an_unknown_choice_is_refused_in_japanese_and_nothing_is_saved(section, staff):
    PersonalInfoFileFactory(business=BusinessFactory(section=section), state=State.DRAFT)
    dataset = load_xlsx(export_xlsx(PersonalInfoFileResource))

    result = PersonalInfoFileResource(user=staff).import_data(
        one_row(dataset, 個人情報ファイルの種別="紙", 利用目的="変更")
    )

    assert result.has_validation_errors()
    assert any(
        "「個人情報ファイルの種別」の値「紙」: 次のいずれかで入力してください" in error
        for error in errors_of(result)
    ), errors_of(result)
    assert PersonalInfoFile.objects.get().purpose == "特別区民税・都民税の賦課徴収のため"


def test_the_commands_export_and_import_the_file_book(section, staff, tmp_path):
    PersonalInfoFileFactory(business=BusinessFactory(section=section))
    call_command(
        "export",
        "xlsx",
        "filebook.PersonalInfoFile",
        "--user",
        staff.username,
        "--out",
        str(tmp_path),
    )
    [path] = tmp_path.iterdir()
    assert path.name.startswith("個人情報ファイル_")

    call_command(
        "import", "filebook.PersonalInfoFile", str(path), "--user", staff.username, "--no-input"
    )

    assert PersonalInfoFile.objects.count() == 1


def test_section_staff_have_an_import_page_on_the_list(client, staff):
    client.force_login(staff)

    listing = client.get(reverse("filebook:list")).content.decode()
    page = client.get(reverse("filebook:import"))

    assert reverse("filebook:import") in listing
    assert page.status_code == 200
