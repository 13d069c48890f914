"""A contractor or partner with full-width letters is found again on re-import: the
lookup uses the form the services store names in, not an NFKC-folded one."""

import pytest

from consignments.models import Consignment
from consignments.resources import ConsignmentResource
from exchange.spreadsheets import SpreadsheetCSV, read_csv
from linkages.resources import LinkageResource
from registry import roles
from tests.exchange.conftest import export_xlsx, load_xlsx
from tests.factories import (
    BusinessFactory,
    ConsignmentFactory,
    LinkageFactory,
    OrganizationFactory,
    SectionFactory,
    user_with_role,
)

NAME = "株式会社ネリマＤＸソリューションズ"


@pytest.fixture
def staff(db):
    section = SectionFactory()
    return user_with_role(roles.SECTION_STAFF, section), section


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_an_unchanged_form2_export_with_a_full_width_contractor_imports_back(staff, file_format):
    user, section = staff
    record = ConsignmentFactory(business=BusinessFactory(section=section))
    record.contractors.set([OrganizationFactory(name=NAME, address="東京都練馬区")])
    if file_format == "xlsx":
        dataset = load_xlsx(export_xlsx(ConsignmentResource))
    else:
        dataset = read_csv(SpreadsheetCSV().export_data(ConsignmentResource().export()))
    assert dataset.dict[0]["委託先"] == NAME

    result = ConsignmentResource(user=user).import_data(dataset)

    assert not result.has_errors() and not result.has_validation_errors(), [
        e.error for row in result.invalid_rows for e in [row]
    ]
    assert result.totals["skip"] == 1


def test_a_changed_draft_keeps_its_full_width_contractor(staff):
    user, section = staff
    record = ConsignmentFactory(business=BusinessFactory(section=section), state="draft")
    contractor = OrganizationFactory(name=NAME, address="東京都練馬区")
    OrganizationFactory(name="株式会社ネリマDXソリューションズ", address="東京都港区")
    record.contractors.set([contractor])
    dataset = load_xlsx(export_xlsx(ConsignmentResource))
    row = dataset.dict[0]
    row["委託内容"] = "・変更後の内容"
    changed = type(dataset)(headers=dataset.headers)
    changed.append([row[h] for h in dataset.headers])

    result = ConsignmentResource(user=user).import_data(changed)

    assert not result.has_validation_errors()
    record = Consignment.objects.get(pk=record.pk)
    assert record.content == "・変更後の内容"
    assert list(record.contractors.all()) == [contractor]


def test_a_linkage_partner_with_full_width_letters_imports_back(staff):
    user, section = staff
    LinkageFactory(
        business=BusinessFactory(section=section),
        partner=OrganizationFactory(name=NAME, address="東京都練馬区"),
    )
    dataset = load_xlsx(export_xlsx(LinkageResource))

    result = LinkageResource(user=user).import_data(dataset)

    assert not result.has_validation_errors()
    assert result.totals["skip"] == 1


def test_contractors_sharing_a_name_are_exported_with_their_address_and_found_again(staff):
    # Found by the Hypothesis round trip: two 相手方 named 「0」 exported as 「0」.
    user, section = staff
    record = ConsignmentFactory(business=BusinessFactory(section=section))
    contractor = OrganizationFactory(name="0", address="東京都練馬区")
    OrganizationFactory(name="0", address="東京都港区")
    record.contractors.set([contractor])
    dataset = load_xlsx(export_xlsx(ConsignmentResource))
    assert dataset.dict[0]["委託先"] == "0（東京都練馬区）"

    result = ConsignmentResource(user=user).import_data(dataset)

    assert not result.has_validation_errors()
    assert result.totals["skip"] == 1
