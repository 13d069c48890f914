"""A 開示請求 end to end in real Chromium: the 事務局 receives it and asks the section,
the section records a partial disclosure, the 事務局 prints the 部分開示決定通知書."""

import pytest
from playwright.sync_api import Page, expect

from disclosure.models import DisclosureRequest
from registry import roles
from registry.models import Section
from tests.factories import user_with_role
from tests.pdf_text import page_texts, squeeze

PASSWORD = "pass-for-tests"


def log_in(browser, live_server, username: str) -> Page:
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="ja-JP")
    page.goto(f"{live_server.url}/disclosure/")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("heading", name="開示請求等", exact=True)).to_be_visible()
    return page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("seed")
def test_a_request_runs_from_receipt_to_a_printed_notice_in_chromium(live_server, browser):
    section = Section.objects.get(name="収納課")
    user_with_role(roles.CLERK, username="jimu")
    user_with_role(roles.SECTION_STAFF, section, username="shuno")

    # The 窓口 receives the request.
    jimu = log_in(browser, live_server, "jimu")
    jimu.get_by_role("link", name="請求を受け付ける").click()
    jimu.get_by_label("種類").select_option(label="開示請求")
    jimu.get_by_label("受付日").fill("令和8年6月3日")
    jimu.get_by_label("請求者の氏名").fill("練馬 花子")
    jimu.get_by_label("請求者の住所").fill("東京都練馬区豊玉北6-12-1")
    jimu.get_by_label("本人確認書類").select_option(label="運転免許証")
    jimu.get_by_label("請求に係る保有個人情報").fill("令和7年度の住民税の課税記録")
    jimu.get_by_label("開示の実施方法の希望").select_option(label="写しの交付")
    jimu.get_by_role("button", name="記録する").click()
    expect(jimu.get_by_text("として受け付けました")).to_be_visible()
    request = DisclosureRequest.objects.get()
    expect(
        jimu.get_by_role("heading", name=f"{request.reference} 開示請求（処理中）")
    ).to_be_visible()
    expect(jimu.get_by_text("令和8年7月3日").first).to_be_visible()

    # ... and asks the section holding the information.
    jimu.get_by_role("link", name="所管課へ決定を依頼").click()
    jimu.get_by_label("所管課").select_option(label=str(section))
    jimu.get_by_label("依頼日").fill("令和8年6月4日")
    jimu.get_by_role("button", name="記録する").click()
    expect(jimu.get_by_role("cell", name="未決定")).to_be_visible()

    # The section decides: partial disclosure, art. 78(1)(ii).
    shuno = log_in(browser, live_server, "shuno")
    shuno.get_by_role("link", name=request.reference).click()
    shuno.get_by_role("link", name="決定を登録").click()
    shuno.get_by_label("決定する所管課").select_option(index=1)
    shuno.get_by_label("一部開示").check()
    shuno.get_by_label("決定日").fill("令和8年6月20日")
    shuno.get_by_label("開示する（訂正・利用停止する）保有個人情報").fill(
        "課税台帳（請求者に係る部分）"
    )
    shuno.get_by_label("第78条第1項第2号（開示請求者以外の個人に関する情報）").check()
    shuno.get_by_label("理由（不開示とした部分とその理由など）").fill("同居人の所得に関する記載")
    shuno.get_by_role("button", name="記録する").click()
    expect(shuno.get_by_text("「決定を登録」を記録しました。")).to_be_visible()

    # The 事務局 prints the notice.
    jimu.reload()
    link = jimu.get_by_role("link", name="通知書を印刷（PDF）")
    pdf = jimu.request.get(live_server.url + link.get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"
    text = squeeze("".join(page_texts(pdf.body())))
    for words in (
        "保有個人情報の部分開示をする旨の決定について（通知）",
        "練馬花子様",
        "同居人の所得",
        "（教示）",
    ):
        assert words in text, words
