"""The review flow end to end in real Chromium: section staff draft and submit a Form 2,
the reviewer returns it with a comment in the admin, staff fix and resubmit, the
reviewer approves it under pre-approval category 17.

(Printing by the clerk is added once the Form 2 PDF route is merged.)"""

import os
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import Page, expect

from consignments.models import Consignment
from registry import roles
from registry.models import Section
from reviews.workflow.states import State
from tests.factories import user_with_role
from tests.pdf_text import page_texts, squeeze

PASSWORD = "pass-for-tests"


@pytest.fixture
def shots(tmp_path) -> Path:
    """Screenshots go to E2E_SCREENSHOTS when set (to look at them), else a temp dir."""
    directory = Path(os.environ.get("E2E_SCREENSHOTS", tmp_path))
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def log_in(browser, live_server, username: str) -> Page:
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="ja-JP")
    page.goto(f"{live_server.url}/consignments/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/consignments/")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("heading", name="外部委託記録票（第2号様式）")).to_be_visible()
    return page


# serialized_rollback: the flush after this test leaves the database as migrate made it
# (groups and permissions included) for later browser tests, instead of re-running
# post_migrate under new primary keys.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("seed")
def test_it_runs_draft_submit_return_resubmit_approve_in_chromium(live_server, browser, shots):
    section = Section.objects.get(name="収納課")
    user_with_role(
        roles.SECTION_STAFF, section, username="shuno", last_name="収納", first_name="花子"
    )
    user_with_role(roles.REVIEWER, username="shinsa", last_name="審査", first_name="一郎")

    # shuno drafts a Form 2 and submits it.
    shuno = log_in(browser, live_server, "shuno")
    shuno.get_by_role("link", name="新しい記録票を作成").click()
    shuno.get_by_label("業務（業務登録番号・業務の名称）").select_option(
        label="0404-01 特別区民税・都民税に関する業務"
    )
    shuno.get_by_label("委託先業種").fill("コード決済事業者")
    shuno.get_by_label("委託内容").fill("・納付者からコード決済による納付の申出を受け付ける。")
    shuno.get_by_label("以降継続").check()
    shuno.get_by_label("開始日").fill("令和8年4月1日")
    shuno.get_by_label("事前一括承認基準(３‐１７)").check()
    shuno.get_by_label("戸籍等事項", exact=False).check()
    # Keyboard only for the last lists: focus, Space ticks, Tab moves on.
    shuno.get_by_label("経済活動", exact=False).focus()
    shuno.keyboard.press("Space")
    shuno.get_by_label("知り得た個人情報の保持").focus()
    shuno.keyboard.press("Space")
    shuno.get_by_label("電算処理").focus()
    shuno.keyboard.press("Space")
    shuno.get_by_label("効力発生日（適用日）").fill("R8.4.1")
    shuno.get_by_role("button", name="印刷イメージを確認").click()
    preview = shuno.locator("#preview")
    expect(preview).to_contain_text("令和8年4月1日以降継続")
    expect(preview).to_contain_text("■ 経済活動")
    shuno.screenshot(path=shots / "01-form2-preview.png", full_page=True)
    shuno.get_by_role("button", name="下書きを保存").click()
    expect(shuno.get_by_role("heading", name="外部委託記録票 No.")).to_contain_text("下書き")
    record = Consignment.objects.get(contractor_type="コード決済事業者")
    assert set(record.record_kinds.values_list("code", flat=True)) == {"family", "economic"}
    assert list(record.transfer_forms.values_list("code", flat=True)) == ["computer"]
    shuno.get_by_role("button", name="審査に提出する").click()
    expect(shuno.locator(".messages")).to_contain_text("審査担当に提出しました。")
    expect(shuno.locator("h1 .badge")).to_have_text("審査中（提出）")
    shuno.screenshot(path=shots / "02-form2-submitted.png", full_page=True)

    # shinsa finds it in the admin queue and returns it with a comment.
    shinsa = log_in(browser, live_server, "shinsa")
    shinsa.get_by_role("link", name="審査・管理画面").click()
    shinsa.get_by_role("link", name="外部委託記録票").first.click()
    shinsa.get_by_role("link", name="審査待ち（提出・再提出）").click()
    expect(shinsa.locator("#result_list tbody tr")).to_have_count(1)
    shinsa.screenshot(path=shots / "03-admin-queue.png")
    shinsa.locator("#result_list").get_by_role("link", name="コード決済事業者").click()
    shinsa.get_by_role("link", name="差し戻す").click()
    shinsa.get_by_label("差戻しの理由").fill("委託先の名称と所在地を委託先欄に記載してください。")
    shinsa.screenshot(path=shots / "04-admin-return.png")
    shinsa.get_by_role("button", name="差戻しする").click()
    expect(shinsa.locator(".messagelist")).to_contain_text("差戻し")
    record.refresh_from_db()
    assert record.state == State.RETURNED

    # shuno sees the comment, fixes the draft and resubmits.
    shuno.reload()
    expect(shuno.locator("h1 .badge")).to_have_text("差戻し")
    expect(shuno.locator(".timeline")).to_contain_text(
        "委託先の名称と所在地を委託先欄に記載してください。"
    )
    shuno.get_by_role("link", name="編集する").click()
    shuno.get_by_label("株式会社エヌ・ティ・ティ・データ").check()
    shuno.get_by_role("button", name="下書きを保存").click()
    expect(shuno.locator(".messages")).to_contain_text("保存しました。")
    expect(shuno.locator("#history")).to_be_visible()
    expect(shuno.locator("table.list")).to_contain_text("株式会社エヌ・ティ・ティ・データ")
    shuno.get_by_label("差戻しへの回答").fill("委託先を追加しました。")
    shuno.get_by_role("button", name="再提出する").click()
    expect(shuno.locator("h1 .badge")).to_have_text("審査中（再提出）")

    # shinsa approves under category 17.
    shinsa.reload()
    expect(shinsa.locator("#workflow")).to_contain_text("審査中（再提出）")
    expect(shinsa.locator("#workflow")).to_contain_text("委託先を追加しました。")
    shinsa.get_by_role("link", name="承認する").click()
    shinsa.get_by_label("事前一括承認基準の類型", exact=True).check()
    shinsa.get_by_role("combobox", name="類型").select_option(label="事前一括承認基準(３‐１７)")
    shinsa.get_by_role("button", name="承認する").click()
    expect(shinsa.locator("#workflow")).to_contain_text("承認済み")
    expect(shinsa.locator("#workflow")).to_contain_text("事前一括承認基準(３‐１７)")
    shinsa.screenshot(path=shots / "05-admin-approved.png", full_page=True)

    record.refresh_from_db()
    assert record.state == State.APPROVED
    assert record.approval_category.number == 17
    assert [t.action for t in record.transitions.order_by("at", "pk")] == [
        "create",
        "submit",
        "return",
        "submit",
        "approve",
    ]

    # The approved record is read-only for its section: no edit, an amendment instead.
    shuno.reload()
    expect(shuno.locator("h1 .badge")).to_have_text("承認済み")
    expect(shuno.get_by_role("link", name="編集する")).to_have_count(0)
    expect(shuno.get_by_role("button", name="変更を始める（変更版を作成）")).to_be_visible()
    shuno.screenshot(path=shots / "06-form2-approved.png", full_page=True)
    shuno.goto(f"{live_server.url}/")
    shuno.screenshot(path=shots / "07-dashboard.png")

    # jimu, the council clerk, prints it from the record page.
    user_with_role(roles.CLERK, username="jimu", last_name="事務", first_name="次郎")
    jimu = log_in(browser, live_server, "jimu")
    jimu.goto(f"{live_server.url}/consignments/{record.pk}/")
    print_link = jimu.get_by_role("link", name="印刷", exact=True)
    response = jimu.request.get(live_server.url + print_link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    text = squeeze("".join(page_texts(response.body())))
    assert "外部委託記録票" in text
    assert "コード決済事業者" in text
    assert "令和８年４月１日以降継続" in text
    assert "■事前一括承認基準(３‐１７)" in text
    # The ORM calls above ran beside Playwright's event loop, in a context the database
    # teardown does not see; close that connection so the test database can be dropped.
    connections.close_all()
