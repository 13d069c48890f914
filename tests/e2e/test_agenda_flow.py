"""Shinjuku's agenda item end to end in real Chromium: 税務課 staff write the 電算処理
record from scratch with its checklist and submit it, prepare the agenda item putting it
forward with the two Form 5 linkages, a reviewer records the committee's decision, and
the records come out approved on it; the item prints."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from linkages.models import Linkage
from processing.models import Processing
from registry import roles
from registry.models import Section
from reviews.committee.models import AgendaItem
from reviews.workflow.states import State
from tests.factories import user_with_role
from tests.pdf_text import page_texts, squeeze

PASSWORD = "pass-for-tests"


@pytest.fixture
def shots(tmp_path) -> Path:
    directory = Path(os.environ.get("E2E_SCREENSHOTS", tmp_path))
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def log_in(browser, live_server, username: str) -> Page:
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="ja-JP")
    page.goto(f"{live_server.url}/committee/")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("heading", name="付議事項（個人情報保護管理運営会議）")).to_be_visible()
    return page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("seed")
def test_staff_prepare_the_item_and_a_reviewer_decides_it(live_server, browser, shots):
    section = Section.objects.get(name="税務課")
    user_with_role(roles.SECTION_STAFF, section, username="zeimu")
    user_with_role(roles.REVIEWER, username="shinsa")

    # zeimu writes the 電算処理 record.
    zeimu = log_in(browser, live_server, "zeimu")
    zeimu.get_by_role("link", name="電算処理", exact=True).click()
    zeimu.get_by_role("link", name="新しい電算処理を作成").click()
    zeimu.get_by_label("件名").fill(
        "軽自動車税納付確認システムの導入に伴う税務システムの改修について"
    )
    zeimu.get_by_label("登録業務（保有課・登録業務の名称）").select_option(
        label="9999-01 軽自動車税（種別割）"
    )
    zeimu.get_by_label("記録される情報項目　１ 個人の範囲").fill("軽自動車税（種別割）の納税義務者")
    zeimu.get_by_label("記録される情報項目　２ 記録項目").fill("資料９－２のとおり")
    zeimu.get_by_label("記録される情報項目　３ 記録するコンピュータ").fill(
        "税務システム（委託事業者がパッケージシステムを区の統合基盤上に構築する）"
    )
    zeimu.get_by_label("新規開発・追加・変更の理由").fill(
        "軽JNKSへ送信する軽自動車税（種別割）納付情報において小型二輪車を追加して作成する機能が必要になるため。"
    )
    zeimu.get_by_label("新規開発・追加・変更の内容（前文）").fill(
        "既存の税務システムに以下の機能を追加する。"
    )
    zeimu.get_by_label("新規開発・追加・変更の内容（番号付きの一覧）").fill(
        "税務システム（収納システム）から軽JNKSへの小型二輪車の納付情報連携データの作成\n"
        "税務システム（軽自動車税システム）から小型二輪車の廃車・ナンバー変更等の異動情報を抽出し、"
        "軽JNKSへの納付情報の連携データの作成"
    )
    zeimu.get_by_label("新規開発・追加・変更の時期").fill(
        "令和6年7月（予定） 開発\n令和6年10月（予定） テスト\n令和7年4月 運用開始"
    )
    zeimu.get_by_label("効力発生日（運用開始日）").fill("令和7年4月1日")
    taken = zeimu.get_by_label("○（対策を講じる）")
    for index in range(taken.count()):
        taken.nth(index).check()
    zeimu.get_by_role("button", name="印刷イメージを確認").click()
    expect(zeimu.locator("#preview")).to_contain_text("令和６年７月（予定）　開発")
    zeimu.screenshot(path=shots / "agenda-01-processing-preview.png", full_page=True)
    zeimu.get_by_role("button", name="下書きを保存").click()
    zeimu.get_by_role("button", name="審査に提出する").click()
    expect(zeimu.get_by_text("審査担当に提出しました。")).to_be_visible()
    zeimu.screenshot(path=shots / "agenda-02-processing-record.png", full_page=True)
    processing = Processing.objects.exclude(pk=1).get()
    assert processing.state == State.SUBMITTED and processing.measures.count() == 44

    # zeimu prepares the agenda item with the new record and the two linkages.
    zeimu.get_by_role("link", name="付議事項", exact=True).click()
    zeimu.get_by_role("link", name="付議事項を作成").click()
    zeimu.get_by_label("会議", exact=True).select_option(
        label="個人情報保護管理運営会議（開催日未定）"
    )
    zeimu.get_by_label("資料番号", exact=True).fill("9")
    zeimu.get_by_label("件名", exact=True).fill(
        "納税証明の電子連携に係る軽自動車税納付確認システムとの外部結合等について（情報項目の追加等）"
    )
    zeimu.get_by_label("電算処理").check()
    zeimu.get_by_label("外部結合").check()
    zeimu.get_by_label("事業名", exact=True).fill("軽自動車税（種別割）納税確認方法のシステム化")
    zeimu.get_by_label("目的", exact=True).fill(
        "継続検査時の納税確認を電子的に行い、納税義務者の利便性向上を図る。"
    )
    zeimu.get_by_label("対象者", exact=True).fill("軽自動車税（種別割）納税義務者（法人を含む）")
    zeimu.get_by_label("事業内容（概要）").fill(
        "　小型二輪車の納付状況を軽JNKSに登録することとする。"
    )
    zeimu.get_by_label("想定件数", exact=True).fill("約3,200件（令和5年度当初課税件数）")
    rows = [
        (f"processing.processing:{processing.pk}", "軽JNKSの対象に小型二輪の納付情報を追加する。"),
        (
            "linkages.linkage:3",
            "区イントラネットと軽JNKSの外部結合の対象車種を変更し、小型二輪を追加する。",
        ),
        ("linkages.linkage:4", "区イントラネットとAIRISの外部結合を開始する。"),
    ]
    for index, (record, request) in enumerate(rows):
        zeimu.locator(f"#id_records-{index}-record").select_option(record)
        zeimu.locator(f"#id_records-{index}-request").fill(request)
    zeimu.locator("#id_records-1-list_number").fill("９－２")
    zeimu.locator("#id_records-1-list_title").fill("軽自動車税納付確認システムに係るデータ項目")
    zeimu.locator("#id_records-1-list_heading").fill("軽自動車税（種別割）の納付確認業務に係る項目")
    zeimu.screenshot(path=shots / "agenda-03-item-form.png", full_page=True)
    zeimu.get_by_role("button", name="保存").click()
    expect(zeimu.get_by_text("付議事項を保存しました。")).to_be_visible()
    item = AgendaItem.objects.exclude(pk=1).get()
    assert [e.object_id for e in item.records.all()] == [processing.pk, 3, 4]

    # The reviewer records the decision; the records come out approved on it.
    shinsa = log_in(browser, live_server, "shinsa")
    shinsa.goto(f"{live_server.url}/committee/items/{item.pk}/")
    shinsa.get_by_label("承認", exact=True).check()
    shinsa.get_by_label("決定日").fill("令和6年6月20日")
    shinsa.get_by_role("button", name="決定を記録する").click()
    expect(shinsa.get_by_text("決定を記録しました。付議した記録に反映しました。")).to_be_visible()
    shinsa.screenshot(path=shots / "agenda-04-decided.png", full_page=True)
    processing.refresh_from_db()
    assert processing.state == State.APPROVED and processing.approval_agenda_item == item
    assert {r.state for r in Linkage.objects.filter(pk__in=[3, 4])} == {State.APPROVED}

    pdf = shinsa.request.get(f"{live_server.url}/committee/items/{item.pk}/agenda.pdf")
    text = squeeze("".join(page_texts(pdf.body())))
    assert "資料９" in text and "区イントラネットとAIRISの外部結合を開始する。" in text
