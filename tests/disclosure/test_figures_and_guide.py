"""The yearly figures (table and Excel) for the 事務局 and the public how-to page."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from disclosure.figures import year_figures
from disclosure.models import Purge
from registry import roles
from tests.factories import (
    AskedSectionFactory,
    DecisionFactory,
    DisclosureRequestFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
    on_time = DecisionFactory(decided_on=dt.date(2026, 6, 20))  # deadline 2026-07-03
    DecisionFactory(
        asked=AskedSectionFactory(section=on_time.asked.section),
        outcome="refused",
        categories=["7"],
        reasons="事務に支障",
        decided_on=dt.date(2026, 7, 10),
    )
    DisclosureRequestFactory(kind="correction", purpose="住所", method="", extension_days=10)
    DisclosureRequestFactory(received_on=dt.date(2025, 6, 3))  # another fiscal year
    Purge.objects.create(fiscal_year=2026, kind="disclosure", requests=2, decisions={"full": 2})
    return 2026


def test_it_counts_a_fiscal_year(year):
    rows = {(group, item): n for group, item, n in year_figures(year).rows()}
    assert rows[("請求件数", "開示請求")] == 4  # two live, two purged
    assert rows[("請求件数", "訂正請求")] == 1
    assert rows[("決定", "開示請求・全部開示")] == 3
    assert rows[("決定", "開示請求・不開示")] == 1
    assert rows[("期限", "期限内に決定")] == 1 and rows[("期限", "期限後に決定")] == 1
    assert rows[("期限", "延長（第83条第2項等）")] == 1


def test_the_clerk_reads_the_table_and_downloads_excel_and_others_may_not(client, year):
    client.force_login(user_with_role(roles.REVIEWER))
    assert client.get(reverse("disclosure:figures")).status_code == 403
    client.force_login(user_with_role(roles.CLERK))
    page = client.get(reverse("disclosure:figures"), {"year": "2026"}).content.decode()
    assert "令和8年度" in page and "期限後に決定" in page
    assert "<svg" in page and "開示請求・全部開示" in page and ">3件</text>" in page
    response = client.get(reverse("disclosure:figures_xlsx"), {"year": "x"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == "区分" and sheet.max_row > 3


def test_residents_read_how_to_request_without_logging_in(client):
    page = client.get(reverse("disclosure_guide")).content.decode()
    assert "お持ちいただくもの" in page and "運転免許証" in page
    assert reverse("filebook_register:list") in page
