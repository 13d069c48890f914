"""`manage.py checkflows` exits 0 on the seed and 1 when a flow breaks a rule."""

import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from payments.models import DataItem, Party, TaxType
from tests.factories import FlowFactory

pytestmark = pytest.mark.usefixtures("seed")


def run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("checkflows", *args, stdout=out, stderr=err)
    except SystemExit as exit:
        return exit.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_it_reports_no_problem_on_the_seed():
    assert run() == (0, "データの流れに問題はありません。\n", "")


def test_it_exits_1_and_names_the_flow_and_item_when_line_pay_gets_the_taxpayer_name():
    FlowFactory(
        sender=Party.objects.get(name="練馬区"),
        receiver=Party.objects.get(name="LINE Pay"),
        items=[DataItem.objects.get(name="納税義務者氏名")],
        tax_types=list(TaxType.objects.filter(business__number="0404-01")),
    )
    code, out, err = run()
    assert code == 1
    assert out.startswith("［LINEガイドライン］データの流れ「練馬区→LINE Pay（電子マネー事業者）")
    assert "個人情報「納税義務者氏名」" in out
    assert err == "1件の問題があります。\n"


def test_it_checks_as_of_a_given_era_date():
    assert run("--date", "平成31年4月1日")[0] == 0


def test_it_refuses_an_unreadable_date_in_japanese():
    with pytest.raises(CommandError, match="日付として読めません"):
        call_command("checkflows", "--date", "いつか")


# Committed data, so the subprocess sees it; serialized_rollback brings back the
# checkbox vocabularies a flush after another committed-data test removes.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_exit_status_reaches_the_shell():
    """The real process: a CI job can fail on the status alone."""
    db = settings.DATABASES["default"]
    login = f"{db['USER']}:{db['PASSWORD']}" if db["PASSWORD"] else db["USER"]
    url = f"postgres://{login}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {"DATABASE_URL": url, "SECRET_KEY": "x", "PATH": "/usr/bin:/bin"}
    command = {
        "args": [sys.executable, "manage.py", "checkflows"],
        "env": env,
        "cwd": settings.BASE_DIR,
        "capture_output": True,
        "text": True,
    }
    ok = subprocess.run(**command)
    assert ok.returncode == 0, ok.stderr
    FlowFactory(
        sender=Party.objects.get(name="NTTデータ", role=Party.Role.PAYMENT_AGENT),
        receiver=Party.objects.get(name="LINE Pay"),
        items=[DataItem.objects.get(name="納税義務者氏名")],
        tax_types=list(TaxType.objects.filter(business__number="0404-02")),
    )
    broken = subprocess.run(**command)
    assert broken.returncode == 1
    assert "［LINEガイドライン］" in broken.stdout
