"""`manage.py export` writes a register as the admin's export does: the register's
columns, text never a live formula, CSV with a BOM, Japanese sheet and file names, the
rights of `--user`, and an access-log entry."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from accesslog.models import AccessEvent
from consignments.models import Consignment
from exchange.commands import export_file_name
from exchange.spreadsheets import read_csv
from registry import roles
from registry.models import Organization
from tests.factories import (
    BusinessFactory,
    ConsignmentFactory,
    OrganizationFactory,
    SectionFactory,
    UserFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


def test_the_file_name_is_the_registers_japanese_name_and_the_day_in_digits():
    name = export_file_name(Consignment, "xlsx", dt.date(2026, 11, 30))
    assert name == "外部委託記録票_20261130.xlsx"


def test_section_staff_export_their_own_section_with_formulas_as_text(tmp_path):
    section = SectionFactory()
    own = ConsignmentFactory(
        business=BusinessFactory(section=section), contractor_type='=HYPERLINK("http://x","y")'
    )
    ConsignmentFactory(business=BusinessFactory(section=SectionFactory()))
    staff = user_with_role(roles.SECTION_STAFF, section)

    call_command(
        "export",
        "xlsx",
        "consignments.Consignment",
        "--user",
        staff.username,
        "--out",
        str(tmp_path),
    )

    [path] = tmp_path.iterdir()
    assert path.name == export_file_name(Consignment, "xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book.active
    assert sheet.title == "外部委託記録票"
    headers = [cell.value for cell in sheet[1]]
    assert headers[:2] == ["記録番号", "業務登録番号"]
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == 1
    cell = rows[0][headers.index("委託先業種")]
    assert cell.data_type == "s"
    # Escaped as in the CSV (exchange.escaping): the same cells in both files.
    assert cell.value == '\'=HYPERLINK("http://x","y")'
    event = AccessEvent.objects.get()
    assert (event.user, event.action, event.record_ids) == (
        staff,
        AccessEvent.Action.EXPORT,
        [own.pk],
    )


def test_csv_has_a_bom_and_escapes_formulas(tmp_path):
    OrganizationFactory(name="=1+1", address="東京都")
    out = tmp_path / "相手方.csv"
    call_command(
        "export",
        "csv",
        "registry.Organization",
        "--user",
        user_with_role(roles.CLERK).username,
        "--out",
        str(out),
    )
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert "'=1+1" in data.decode("utf-8-sig")
    assert read_csv(data).dict[0]["名称"] == "=1+1"
    assert Organization.objects.count() == 1


def test_a_user_without_the_right_is_refused(tmp_path):
    with pytest.raises(CommandError, match="見る権限がないため、書き出せません"):
        call_command(
            "export",
            "xlsx",
            "consignments.Consignment",
            "--user",
            UserFactory().username,
            "--out",
            str(tmp_path),
        )
    assert not list(tmp_path.iterdir())
    assert not AccessEvent.objects.exists()


def test_only_registers_are_exported(tmp_path):
    with pytest.raises(CommandError, match=r"「auth\.User」は書き出せません"):
        call_command(
            "export",
            "xlsx",
            "auth.User",
            "--user",
            user_with_role(roles.CLERK).username,
            "--out",
            str(tmp_path),
        )


def test_an_unknown_user_is_refused(tmp_path):
    with pytest.raises(CommandError, match="ユーザー「nobody」が見つかりません"):
        call_command(
            "export", "xlsx", "registry.Organization", "--user", "nobody", "--out", str(tmp_path)
        )


def test_the_admins_export_has_the_same_japanese_file_and_sheet_name(client):
    from urllib.parse import quote

    from django.urls import reverse

    from registry.resources import OrganizationResource

    OrganizationFactory(name="株式会社管理画面")
    client.force_login(user_with_role(roles.CLERK))
    fields = {f"organizationresource_{name}": "on" for name in OrganizationResource().fields}
    response = client.post(
        reverse("admin:registry_organization_export"), {"format": "0", "resource": "0", **fields}
    )
    name = export_file_name(Organization, "xlsx")
    fallback = f"organization_{timezone.localdate():%Y%m%d}.xlsx"
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.active.title == "相手方"
