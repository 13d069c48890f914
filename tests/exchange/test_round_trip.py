"""Every register exported and imported back changes nothing."""

import io

import openpyxl
import pytest

from consignments.models import Consignment
from consignments.resources import ConsignmentResource
from exchange.spreadsheets import SpreadsheetCSV, read_csv
from linkages.models import LinkageItem
from linkages.resources import LinkageResource
from registry.models import Organization
from registry.resources import BusinessResource, OrganizationResource, SectionResource
from reviews.council.resources import (
    CategoryExampleResource,
    ConsultationResource,
    PreApprovalCategoryResource,
)
from reviews.workflow.states import State
from tests.exchange.conftest import export_xlsx, load_xlsx

RESOURCES = [
    SectionResource,
    BusinessResource,
    OrganizationResource,
    PreApprovalCategoryResource,
    CategoryExampleResource,
    ConsultationResource,
    ConsignmentResource,
    LinkageResource,
]

pytestmark = pytest.mark.usefixtures("seed")


@pytest.mark.parametrize("resource_class", RESOURCES, ids=lambda r: r.__name__)
@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_it_reimports_its_own_export_without_changing_anything(resource_class, file_format):
    before = resource_class().export()
    assert len(before) > 0
    if file_format == "xlsx":
        dataset = load_xlsx(export_xlsx(resource_class))
    else:
        dataset = read_csv(SpreadsheetCSV().export_data(before))
    item_ids = sorted(LinkageItem.objects.values_list("pk", flat=True))

    result = resource_class().import_data(dataset, rollback_on_validation_errors=True)

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == len(before)
    assert result.totals["new"] == result.totals["update"] == 0
    assert resource_class().export().dict == before.dict
    assert sorted(LinkageItem.objects.values_list("pk", flat=True)) == item_ids


def test_it_exports_form2_in_the_era_with_a_box_per_checkbox_label():
    row = next(
        row
        for row in ConsignmentResource().export().dict
        if row["委託先業種"] == "クレジットカード事業者" and row["業務登録番号"] == "0404-01"
    )
    assert row["委託期間（開始）"] == "平成31年4月1日"
    assert row["委託期間の種類"] == "以降継続"
    assert row["記録の種別（その他）"] == "クレジットカード番号"
    assert row["委託の条件：再委託の禁止"] in {"■", "□"}
    assert row["授受の形態：電算処理"] == "■"
    assert row["所管課名"] == "区民部 収納課"


def test_an_edited_cell_updates_only_that_draft(superuser):
    first = Consignment.objects.order_by("business__number", "pk").first()
    Consignment.objects.filter(pk=first.pk).update(state=State.DRAFT)
    dataset = load_xlsx(export_xlsx(ConsignmentResource))
    column = dataset.headers.index("個人情報保護管理責任者")
    row = list(dataset[0])
    row[column] = "収納課長（代理）"
    dataset[0] = row

    result = ConsignmentResource(user=superuser).import_data(
        dataset, rollback_on_validation_errors=True
    )

    assert result.totals["update"] == 1
    assert result.totals["skip"] == len(dataset) - 1
    assert list(Consignment.objects.filter(manager="収納課長（代理）")) == [first]


@pytest.mark.parametrize(
    ("before", "after"), [("ＤＸ推進課長", "DX推進課長"), ("DX推進課長", "ＤＸ推進課長")]
)
def test_a_cell_edited_only_in_width_is_a_change(superuser, before, after):
    # ＤＸ and DX are different text: a row whose only edit is the width of its letters
    # updates its draft rather than being skipped as unchanged.
    first = Consignment.objects.order_by("business__number", "pk").first()
    Consignment.objects.filter(pk=first.pk).update(state=State.DRAFT, manager=before)
    dataset = load_xlsx(export_xlsx(ConsignmentResource))
    column = dataset.headers.index("個人情報保護管理責任者")
    row = list(dataset[0])
    assert row[column] == before
    row[column] = after
    dataset[0] = row

    result = ConsignmentResource(user=superuser).import_data(
        dataset, rollback_on_validation_errors=True
    )

    assert result.totals["update"] == 1
    assert result.totals["skip"] == len(dataset) - 1
    assert Consignment.objects.get(pk=first.pk).manager == after


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_text_that_looks_like_a_formula_is_exported_as_text_and_round_trips(file_format):
    Organization.objects.create(
        name="+81 株式会社数式", address="@東京都", note='=HYPERLINK("http://example.com","x")'
    )
    before = OrganizationResource().export()
    if file_format == "xlsx":
        data = export_xlsx(OrganizationResource)
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        cells = [cell for row in sheet.iter_rows() for cell in row if cell.value]
        assert any(str(cell.value).startswith("'=HYPERLINK") for cell in cells)
        assert all(cell.data_type != "f" for cell in cells)
        dataset = load_xlsx(data)
    else:
        data = SpreadsheetCSV().export_data(before)
        assert "'=HYPERLINK" in data.decode("utf-8-sig")
        assert "'+81 株式会社数式" in data.decode("utf-8-sig")
        dataset = read_csv(data)

    result = OrganizationResource().import_data(dataset)

    assert result.totals["skip"] == len(before) and result.totals["new"] == 0
    assert OrganizationResource().export().dict == before.dict


def test_it_exports_the_linkages_annex_fields_for_the_committee():
    row = next(
        row
        for row in LinkageResource().export().dict
        if row["電算結合の相手方（名称）"] == "地方税共同機構"
    )
    assert row["件名（付議事項の別紙）"].startswith("納税証明の電子連携")
    assert row["結合の形態"] and row["結合の開始時期と期間"]
