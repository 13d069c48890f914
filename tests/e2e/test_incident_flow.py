"""An incident end to end in real Chromium: 収納課 staff record a contractor's loss of
150 people's records, the page says it must be reported and why, the 事務局 publishes
it, and a resident finds it on the public list of its half-year — without the
personal details the section recorded."""

import pytest
from playwright.sync_api import Page, expect

from incidents.models import Incident
from registry import roles
from registry.models import Section
from tests.factories import user_with_role

PASSWORD = "pass-for-tests"


def log_in(browser, live_server, username: str) -> Page:
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="ja-JP")
    page.goto(f"{live_server.url}/incidents/")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("heading", name="漏えい等事案", exact=True)).to_be_visible()
    return page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("seed")
def test_an_incident_from_the_section_s_report_to_the_public_list(live_server, browser):
    user_with_role(roles.SECTION_STAFF, Section.objects.get(name="収納課"), username="shuno")
    user_with_role(roles.CLERK, username="jimu")

    shuno = log_in(browser, live_server, "shuno")
    shuno.get_by_role("link", name="漏えい等事案を登録").click()
    shuno.get_by_label("件名").fill("委託先での督促状控えの紛失")
    shuno.get_by_label("発覚日").fill("令和7年5月12日")
    shuno.get_by_label("事態の種別").select_option(label="滅失")
    shuno.get_by_label("概要", exact=True).fill(
        "委託先の倉庫で督促状控え（練馬一郎様ほか）を紛失した。"
    )
    shuno.get_by_label("漏えい等が発生し、又は発生したおそれがある保有個人情報の項目").fill(
        "氏名、住所、滞納額"
    )
    shuno.get_by_label("本人の数", exact=True).fill("150")
    shuno.get_by_label("公表する概要").fill("委託先で督促状の控え150件を紛失しました。")
    shuno.get_by_role("button", name="保存").click()
    expect(shuno.get_by_text("漏えい等事案を保存しました。")).to_be_visible()
    expect(shuno.get_by_text("施行規則第43条第4号（本人の数が百人超）", exact=True)).to_be_visible()
    expect(shuno.get_by_text("個人情報保護委員会への報告が必要です")).to_be_visible()
    incident = Incident.objects.get(title="委託先での督促状控えの紛失")
    assert incident.people_count == 150

    jimu = log_in(browser, live_server, "jimu")
    jimu.get_by_role("link", name="委託先での督促状控えの紛失").click()
    jimu.get_by_role("button", name="公表する").click()
    expect(jimu.get_by_text("公表しました。")).to_be_visible()

    resident = browser.new_page(locale="ja-JP")
    resident.goto(f"{live_server.url}/register/incidents/")
    expect(resident.get_by_role("heading", name="令和7年度 上半期")).to_be_visible()
    half_year = resident.get_by_role("table", name="令和7年度 上半期")
    expect(half_year).to_contain_text("委託先で督促状の控え150件を紛失しました。")
    expect(half_year).to_contain_text("区民部 収納課")
    expect(resident.get_by_role("table", name="重大な個人情報の漏えい等事案")).to_contain_text(
        "150人"
    )
    expect(resident.locator("main, body").first).not_to_contain_text("練馬一郎")
    expect(resident.locator("body")).not_to_contain_text("滞納額")
