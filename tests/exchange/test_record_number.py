"""Exported rows carry 記録番号 (the record's No.), so any column, 委託先業種 and the
partner included, can be edited and the row changes that record instead of creating
a new draft."""

import datetime as dt

import pytest
import tablib

from consignments.models import Consignment
from consignments.resources import ConsignmentResource
from exchange.spreadsheets import SpreadsheetCSV, read_csv
from linkages.models import Linkage
from linkages.resources import LinkageResource
from registry import roles
from reviews.workflow.states import State
from tests.exchange.conftest import export_xlsx, load_xlsx
from tests.factories import (
    BusinessFactory,
    ConsignmentFactory,
    LinkageFactory,
    OrganizationFactory,
    SectionFactory,
    user_with_role,
)


@pytest.fixture
def section(db):
    return SectionFactory()


@pytest.fixture
def staff(section):
    return user_with_role(roles.SECTION_STAFF, section)


def edited(dataset: tablib.Dataset, pk: int, **cells) -> tablib.Dataset:
    """The exported sheet with the row of record `pk` edited and the other rows as they
    were."""
    out = tablib.Dataset(headers=dataset.headers)
    for row in dataset.dict:
        if str(row["記録番号"]) == str(pk):
            row = {**row, **cells}
        out.append([row[header] for header in dataset.headers])
    return out


def errors_of(result) -> list[str]:
    return [m for row in result.invalid_rows for ms in row.error_dict.values() for m in ms]


def test_the_record_number_is_the_first_column_and_the_records_no(section):
    record = ConsignmentFactory(business=BusinessFactory(section=section))

    dataset = load_xlsx(export_xlsx(ConsignmentResource))

    assert dataset.headers[0] == "記録番号"
    assert str(dataset.dict[0]["記録番号"]) == str(record.pk)


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_editing_the_contractor_type_changes_the_draft_instead_of_creating_one(
    section, staff, file_format
):
    draft = ConsignmentFactory(business=BusinessFactory(section=section), state=State.DRAFT)
    if file_format == "xlsx":
        dataset = load_xlsx(export_xlsx(ConsignmentResource))
    else:
        dataset = read_csv(SpreadsheetCSV().export_data(ConsignmentResource().export()))

    result = ConsignmentResource(user=staff).import_data(
        edited(dataset, draft.pk, 委託先業種="決済代行事業者")
    )

    assert not result.has_validation_errors(), errors_of(result)
    assert result.totals["update"] == 1 and result.totals["new"] == 0
    assert list(Consignment.objects.values_list("pk", "contractor_type")) == [
        (draft.pk, "決済代行事業者")
    ]


def test_a_changed_row_of_the_approved_version_changes_its_amendment_draft(section, staff):
    approved = ConsignmentFactory(business=BusinessFactory(section=section))
    draft = ConsignmentFactory(
        business=approved.business,
        state=State.DRAFT,
        amends=approved,
        contractor_type="旧業種",
        effective_from=dt.date(2027, 4, 1),
    )
    dataset = load_xlsx(export_xlsx(ConsignmentResource))

    # Every cell of the row goes to the draft: its 効力発生日 too.
    result = ConsignmentResource(user=staff).import_data(
        edited(dataset, approved.pk, 委託先業種="新業種", 効力発生日="令和9年4月1日")
    )

    assert not result.has_validation_errors(), errors_of(result)
    draft.refresh_from_db()
    approved.refresh_from_db()
    assert (draft.contractor_type, approved.contractor_type) == ("新業種", "収納代行事業者")
    assert Consignment.objects.count() == 2


def test_no_dot_and_full_width_numbers_name_the_record(section, staff):
    draft = ConsignmentFactory(business=BusinessFactory(section=section), state=State.DRAFT)
    dataset = load_xlsx(export_xlsx(ConsignmentResource))
    full_width = str(draft.pk).translate(str.maketrans("0123456789", "０１２３４５６７８９"))

    result = ConsignmentResource(user=staff).import_data(
        edited(dataset, draft.pk, 記録番号=f"No.{full_width}", 委託内容="・変更")
    )

    assert not result.has_validation_errors(), errors_of(result)
    assert Consignment.objects.get().content == "・変更"


@pytest.mark.parametrize(
    ("number", "message"),
    [("999999", "記録番号「999999」の外部委託記録票はありません"), ("三", "記録番号は数字で")],
)
def test_a_number_that_names_nothing_is_refused_and_nothing_is_created(
    section, staff, number, message
):
    draft = ConsignmentFactory(business=BusinessFactory(section=section), state=State.DRAFT)
    dataset = load_xlsx(export_xlsx(ConsignmentResource))

    result = ConsignmentResource(user=staff).import_data(
        edited(dataset, draft.pk, 記録番号=number, 委託先業種="別の業種")
    )

    assert result.has_validation_errors()
    assert any(message in error and error.startswith("2行目") for error in errors_of(result))
    assert list(Consignment.objects.values_list("contractor_type", flat=True)) == ["収納代行事業者"]


def test_a_row_without_a_number_is_still_matched_by_its_natural_key(section, staff):
    draft = ConsignmentFactory(business=BusinessFactory(section=section), state=State.DRAFT)
    dataset = load_xlsx(export_xlsx(ConsignmentResource))

    result = ConsignmentResource(user=staff).import_data(
        edited(dataset, draft.pk, 記録番号="", 委託内容="・手で作った行")
    )

    assert not result.has_validation_errors(), errors_of(result)
    assert list(Consignment.objects.values_list("pk", "content")) == [(draft.pk, "・手で作った行")]


def test_editing_the_linkage_partner_changes_that_linkage(section, staff):
    draft = LinkageFactory(business=BusinessFactory(section=section), state=State.DRAFT)
    other = OrganizationFactory(name="株式会社ネリマＤＸソリューションズ", address="東京都練馬区")
    dataset = load_xlsx(export_xlsx(LinkageResource))

    result = LinkageResource(user=staff).import_data(
        edited(
            dataset,
            draft.pk,
            **{"電算結合の相手方（名称）": other.name, "電算結合の相手方（住所）": other.address},
        )
    )

    assert not result.has_validation_errors(), errors_of(result)
    assert list(Linkage.objects.values_list("pk", "partner")) == [(draft.pk, other.pk)]
