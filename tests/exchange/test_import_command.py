"""`manage.py import` imports registers only: a model name means its register's resource
(with its checks and the review workflow), never the library's plain model route, which
once set a draft to 承認済み with no basis and no transition."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib import admin
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError

from consignments.models import Consignment
from consignments.resources import ConsignmentResource
from exchange.resources import RegisterResource
from exchange.spreadsheets import SpreadsheetCSV
from registry import roles
from reviews.models import Transition
from reviews.workflow.states import Action, State
from tests.database import database_url
from tests.factories import BusinessFactory, ConsignmentFactory, SectionFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_the_projects_import_command_replaces_the_librarys():
    assert get_commands()["import"] == "exchange"
    assert get_commands()["export"] == "exchange"


def test_the_commands_take_every_register_the_admin_imports(settings):
    """EXCHANGE_RESOURCES lists exactly the register resources the admin pages use."""
    in_admin = {
        f"{resource.__module__}.{resource.__qualname__}"
        for model_admin in admin.site._registry.values()
        for resource in getattr(model_admin, "resource_classes", None) or []
        if issubclass(resource, RegisterResource)
    }
    assert in_admin == set(settings.EXCHANGE_RESOURCES)


def test_the_plain_model_route_cannot_set_a_state(tmp_path):
    draft = ConsignmentFactory(state=State.DRAFT)
    path = tmp_path / "state.csv"
    # What the library's route reads: model field names as headers.
    path.write_text(f"id,state,contractor_type\n{draft.pk},approved,{draft.contractor_type}\n")

    with pytest.raises(CommandError):
        call_command("import", "consignments.Consignment", str(path), "--no-input")

    draft.refresh_from_db()
    assert draft.state == State.DRAFT
    assert draft.approved_at is None
    assert not Transition.objects.exists()
    assert not Consignment.objects.in_force().exists()


@pytest.mark.parametrize("name", ["reviews.Transition", "auth.User", "no.Such"])
def test_it_refuses_what_is_not_a_register(tmp_path, name):
    path = tmp_path / "x.csv"
    path.write_text("id\n1\n")
    with pytest.raises(CommandError, match="取り込めません"):
        call_command("import", name, str(path), "--no-input")


def test_a_model_name_imports_through_the_register_and_the_workflow(tmp_path):
    section = SectionFactory()
    staff = user_with_role(roles.SECTION_STAFF, section)
    template = ConsignmentFactory(business=BusinessFactory(section=section))
    dataset = ConsignmentResource().export(queryset=Consignment.objects.filter(pk=template.pk))
    row = dict(dataset.dict[0])
    row["委託先業種"] = "コマンドで追加する業種"
    row["記録番号"] = ""  # a new row
    assert row["状態"] == "承認済み"  # as exported: an import never writes it
    dataset.dict = [row]
    path = tmp_path / "台帳.csv"
    path.write_bytes(SpreadsheetCSV().export_data(dataset))

    with pytest.raises(CommandError, match="取り込む職員が分からない"):
        call_command("import", "consignments.Consignment", str(path), "--no-input")
    assert not Consignment.objects.filter(contractor_type="コマンドで追加する業種").exists()

    call_command(
        "import", "consignments.Consignment", str(path), "--no-input", "--user", staff.username
    )

    created = Consignment.objects.get(contractor_type="コマンドで追加する業種")
    assert created.state == State.DRAFT
    [transition] = created.transitions.all()
    assert (transition.action, transition.actor) == (Action.CREATE, staff)
    assert created.history.get().history_user == staff


def test_a_refused_file_fails_with_every_reason_in_japanese(tmp_path):
    path = tmp_path / "相手方.csv"
    path.write_bytes(b"foo,bar\n1,2\n")
    with pytest.raises(CommandError) as refused:
        call_command("import", "registry.Organization", str(path), "--no-input")
    message = str(refused.value)
    assert "ファイルに必要な列がありません: 「名称」" in message
    assert "ValueError" not in message


def test_a_missing_file_is_named_in_japanese(tmp_path):
    with pytest.raises(CommandError, match=r"ファイル「.*nothing\.csv」が見つかりません。"):
        call_command("import", "registry.Organization", str(tmp_path / "nothing.csv"), "--no-input")


def test_the_users_rights_apply_and_a_refused_change_fails_the_command(tmp_path):
    from registry.models import Organization
    from registry.resources import OrganizationResource
    from tests.factories import OrganizationFactory

    organization = OrganizationFactory(name="株式会社コマンド", note="")
    dataset = OrganizationResource().export(
        queryset=Organization.objects.filter(pk=organization.pk)
    )
    dataset.dict = [dict(dataset.dict[0]) | {"備考": "コマンドで変更"}]
    path = tmp_path / "相手方.csv"
    path.write_bytes(SpreadsheetCSV().export_data(dataset))
    staff = user_with_role(roles.SECTION_STAFF, SectionFactory())
    reviewer = user_with_role(roles.REVIEWER)

    with pytest.raises(CommandError, match="取り込む権限がないため、相手方を登録・変更できません"):
        call_command(
            "import", "registry.Organization", str(path), "--no-input", "--user", staff.username
        )
    organization.refresh_from_db()
    assert organization.note == ""

    call_command(
        "import", "registry.Organization", str(path), "--no-input", "--user", reviewer.username
    )
    organization.refresh_from_db()
    assert organization.note == "コマンドで変更"
    assert organization.history.latest().history_user == reviewer


def test_rows_refused_without_a_reported_error_still_fail_the_command(tmp_path, monkeypatch):
    """The library can count refused rows (0 new, 0 changed) without an error object; the
    command fails on the count as well."""
    from import_export.results import Result, RowResult

    from registry.resources import OrganizationResource

    def refuse_quietly(self, dataset, **kwargs):
        result = Result()
        result.totals[RowResult.IMPORT_TYPE_INVALID] = 1
        return result

    monkeypatch.setattr(OrganizationResource, "import_data", refuse_quietly)
    path = tmp_path / "相手方.csv"
    path.write_bytes("名称\n株式会社静かな拒否\n".encode())
    with pytest.raises(CommandError, match="1行を取り込めませんでした"):
        call_command("import", "registry.Organization", str(path), "--no-input")


def test_from_the_shell_a_refused_file_exits_non_zero_with_the_reason(tmp_path):
    path = tmp_path / "相手方.csv"
    path.write_bytes(b"foo,bar\n1,2\n")
    manage = Path(__file__).resolve().parents[2] / "manage.py"
    done = subprocess.run(
        [sys.executable, str(manage), "import", "registry.Organization", str(path), "--no-input"],
        env=os.environ | {"DATABASE_URL": database_url(), "SECRET_KEY": "test"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "ファイルに必要な列がありません: 「名称」" in done.stderr
    assert "Import finished" not in done.stdout + done.stderr
