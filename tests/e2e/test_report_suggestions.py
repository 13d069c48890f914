"""Section staff file a pre-approval report in real Chromium: as they describe a
credit-card payment agent, the panel beside the item suggests category 17 first; they
choose the category themselves and save."""

import os
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import expect

from registry import roles
from registry.models import Section
from reviews.models import PreApprovalReport
from tests.factories import user_with_role


@pytest.fixture
def shots(tmp_path) -> Path:
    directory = Path(os.environ.get("E2E_SCREENSHOTS", tmp_path))
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("seed")
def test_it_suggests_category_17_first_as_staff_describe_a_card_payment_agent(
    live_server, browser, shots
):
    user_with_role(
        roles.SECTION_STAFF, Section.objects.get(name="収納課"), username="shuno", last_name="収納"
    )
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="ja-JP")
    page.goto(f"{live_server.url}/reports/")
    page.get_by_label("ユーザー名").fill("shuno")
    page.get_by_label("パスワード").fill("pass-for-tests")
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("heading", name="事前一括承認基準の適用報告")).to_be_visible()
    page.get_by_role("link", name="新しい報告を作成").click()

    page.get_by_label("１ 概要").fill("クレジットカードによる納付を導入する。")
    item = page.locator("fieldset.report-item").first
    panel = item.locator(".suggestions-body")
    expect(panel).to_contain_text("項目と委託先および委託内容を入力すると")
    item.get_by_label("項目", exact=True).focus()
    page.keyboard.type("クレジットカードによる納付")
    item.get_by_label("委託先および委託内容").focus()
    page.keyboard.type("クレジットカード決済による代理納付を収納代行事業者に委託する")
    first = panel.locator("ol.suggestions > li").first
    expect(first).to_contain_text("類型 ３‐１７")
    expect(first).to_contain_text("クレジットカード決済の代理納付業務")
    page.screenshot(path=shots / "report-form-suggestions.png", full_page=False)

    # The suggestion chose nothing: the category is still the user's to pick.
    category = item.get_by_label("適用理由（該当する類型）")
    expect(category).to_have_value("")
    category.select_option(label="３‐１７ 金融機関以外の者が税金等を領収し、区へ送金する。")
    item.get_by_label("適用日", exact=True).fill("令和8年4月")
    item.get_by_label("既存の事例に該当").check()
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("報告を保存しました。")
    expect(page.locator("article.document")).to_contain_text(
        "外部委託に関する審議会事前一括承認基準の類型17の事例に該当"
    )
    page.screenshot(path=shots / "report-record.png", full_page=True)

    report = PreApprovalReport.objects.get(overview="クレジットカードによる納付を導入する。")
    assert [(i.name, i.category.number) for i in report.items.all()] == [
        ("クレジットカードによる納付", 17)
    ]
    # The ORM calls above ran beside Playwright's event loop; close that connection so
    # the test database can be flushed and dropped.
    connections.close_all()
