"""The fast export path (RegisterResource.export_rows and the writers of
exchange.spreadsheets, issue 22) writes exactly the cells the library's own per-field
export gives, escaped by the one rule, for every register: so the optimisation cannot
drift from what the columns say."""

import csv
import io

import openpyxl
import pytest
from import_export import resources

from consignments.models import Condition, Consignment, RecordKind, TransferForm
from consignments.resources import ConsignmentResource
from exchange.escaping import escape_cell
from exchange.writing import export_bytes
from filebook.resources import PersonalInfoFileResource
from linkages.resources import LinkageResource
from notation.jis import to_jis_x_0208
from processing.resources import ProcessingResource
from registry.resources import BusinessResource, OrganizationResource, SectionResource
from reviews.council.resources import (
    CategoryExampleResource,
    ConsultationResource,
    PreApprovalCategoryResource,
)
from tests.factories import (
    BusinessFactory,
    ConsignmentFactory,
    ConsultationFactory,
    LinkageFactory,
    OrganizationFactory,
    PersonalInfoFileFactory,
    PreApprovalCategoryFactory,
    ProcessingFactory,
)

RESOURCES = [
    SectionResource,
    BusinessResource,
    OrganizationResource,
    PreApprovalCategoryResource,
    CategoryExampleResource,
    ConsultationResource,
    ConsignmentResource,
    LinkageResource,
    ProcessingResource,
    PersonalInfoFileResource,
]

pytestmark = pytest.mark.usefixtures("seed")

# Text each writer must treat as the library's cell says: formula-like, a Windows
# look-alike (－ is exported as −), several lines, Excel's error words, blanks.
AWKWARD = ["=1+1", "－1", "一行目\n二行目", "#N/A", " 前後に空白 ", "'03"]


def add_awkward_records() -> None:
    """Records beside the seed's whose cells need the escaping rule and the lists."""
    kinds, conditions = list(RecordKind.objects.all()), list(Condition.objects.all())
    for number, text in enumerate(AWKWARD):
        business = BusinessFactory(name=f"{text}業務{number}")
        record = ConsignmentFactory(
            business=business, contractor_type=f"{text}業種", content=text, manager=text
        )
        record.record_kinds.set(kinds[number::2])
        record.conditions.set(conditions[: number + 1])
        record.transfer_forms.set(TransferForm.objects.all()[:number])
        record.contractors.set([OrganizationFactory(name=f"{text}社{number}")])
        record.consultations.set([ConsultationFactory(subject=text)])
        record.categories.set([PreApprovalCategoryFactory(rule=text)])
        LinkageFactory(business=business, purpose=text)
        ProcessingFactory(business=business, subject=text, recorded_items=text)
        PersonalInfoFileFactory(business=business, purpose=text, record_items=text)


def library_rows(resource_class) -> tuple[list, list[list]]:
    """The register as django-import-export's own export renders it, field by field."""
    resource = resource_class()
    dataset = resources.ModelResource.export(resource)
    return list(dataset.headers), [list(row) for row in dataset]


def written(value):
    """A cell as the escaping rule writes it (exchange.escaping, JIS X 0208)."""
    return escape_cell(to_jis_x_0208(value)) if isinstance(value, str) else value


def xlsx_cells(data: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [["" if value is None else value for value in row] for row in sheet.values]


def csv_cells(data: bytes) -> list[list]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("resource_class", RESOURCES, ids=lambda r: r.__name__)
def test_the_fast_export_writes_the_librarys_cells(resource_class):
    add_awkward_records()
    headers, rows = library_rows(resource_class)
    assert len(rows) >= 3, "each register is compared on a few records at least"
    expected = [headers] + [[written(value) for value in row] for row in rows]
    resource = resource_class()
    queryset = resource.get_queryset()
    for file_format, cells in (("xlsx", xlsx_cells), ("csv", csv_cells)):
        data, count = export_bytes(resource=resource, queryset=queryset, file_format=file_format)
        assert count == len(rows)
        assert cells(data) == expected, file_format
    # The resource's export() (the admin's dataset) is the same as the library's too.
    dataset = resource_class().export()
    assert [list(row) for row in dataset] == rows and list(dataset.headers) == headers


def test_the_awkward_cells_are_there_to_compare():
    """The comparison above covers the escaping rule and every checkbox list."""
    add_awkward_records()
    _, rows = library_rows(ConsignmentResource)
    cells = {value for row in rows for value in row}
    assert {"=1+1", "－1", "#N/A", "一行目\n二行目", "■", "□"} <= cells
    assert Consignment.objects.filter(conditions__isnull=False).exists()


def test_a_text_cell_of_several_lines_wraps_and_the_headers_are_bold():
    add_awkward_records()
    data, count = export_bytes(
        resource=ConsignmentResource(),
        queryset=Consignment.objects.all(),
        file_format="xlsx",
    )
    # The declared size, which the import checks before reading a row.
    declared = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
    assert declared.calculate_dimension() == f"A1:AM{count + 1}"
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.max_column == 39  # Form 2's columns: the declared size is the sheet's
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])
    lines = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value]
    assert all(cell.data_type == "s" for cell in lines)
    assert all(bool(cell.alignment.wrap_text) == ("\n" in cell.value) for cell in lines)
    assert any(cell.value == "#N/A" for cell in lines)
