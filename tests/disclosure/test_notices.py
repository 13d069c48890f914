"""The notices print as PDF/A and read back with the decision, the sender, era dates,
the legal basis and the 教示."""

import datetime as dt
import io

import pikepdf
import pytest

from disclosure.pdf import DECISION_NOTICE, EXTENSION_NOTICE
from tests.factories import AskedSectionFactory, DecisionFactory, DisclosureRequestFactory
from tests.pdf_text import page_texts, squeeze

pytestmark = pytest.mark.django_db

INSTRUCTION = "この決定があったことを知った日の翌日から起算して３か月以内に"


def printed(kind, record) -> tuple[str, pikepdf.Pdf]:
    pdf = kind.render([record])
    assert not pdf.missing_glyphs
    return squeeze("".join(page_texts(pdf.content))), pikepdf.open(io.BytesIO(pdf.content))


def decision(kind: str = "disclosure", **fields):
    request = DisclosureRequestFactory(
        kind=kind,
        purpose="" if kind == "disclosure" else "住所の誤り",
        received_on=dt.date(2026, 6, 3),
    )
    return DecisionFactory(
        asked=AskedSectionFactory(request=request), decided_on=dt.date(2026, 6, 20), **fields
    )


@pytest.mark.parametrize(
    ("kind", "fields", "expected"),
    [
        (
            "disclosure",
            {"outcome": "full"},
            ["保有個人情報の開示をする旨の決定について（通知）", "第82条第1項", "開示決定通知書"],
        ),
        (
            "disclosure",
            {"outcome": "partial", "categories": ["2"], "reasons": "同居人の氏名"},
            [
                "部分開示をする旨の決定",
                "不開示とした部分とその理由",
                "第78条第1項第2号",
                "同居人の氏名",
                "部分開示決定通知書",
            ],
        ),
        (
            "disclosure",
            {"outcome": "refused", "categories": ["7"], "reasons": "事務に支障"},
            [
                "保有個人情報の開示をしない旨の決定について（通知）",
                "第82条第2項",
                "不開示決定通知書",
            ],
        ),
        (
            "disclosure",
            {"outcome": "neither", "reasons": "存否を答えるだけで"},
            ["存否を明らかにしない理由", "第81条"],
        ),
        (
            "correction",
            {"outcome": "corrected"},
            ["保有個人情報の訂正をする旨の決定について（通知）", "第93条第1項", "訂正決定通知書"],
        ),
        (
            "suspension",
            {"outcome": "suspended"},
            ["利用停止をする旨の決定", "第101条第1項", "利用停止決定通知書"],
        ),
    ],
)
def test_each_decision_prints_its_notice(kind, fields, expected):
    text, pdf = printed(DECISION_NOTICE, decision(kind, **fields))
    for words in [
        *expected,
        "練馬区長",
        "練馬花子様",
        "令和８年６月２０日",
        "令和８年６月３日付け",
        INSTRUCTION,
    ]:
        assert squeeze(words) in text, words
    meta = pdf.open_metadata()
    assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "A")


def test_an_agents_request_is_answered_to_the_agent():
    notice = decision()
    request = notice.asked.request
    request.agent, request.agent_name, request.agent_proof = "appointed", "代理 太郎", "委任状"
    request.save()
    text, _ = printed(DECISION_NOTICE, notice)
    assert "代理太郎様" in text and "練馬花子様" not in text


def test_the_extension_notice_gives_the_new_deadline_and_reason():
    request = DisclosureRequestFactory(
        received_on=dt.date(2026, 6, 3),
        extension_days=30,
        extension_reason="請求に係る保有個人情報の検索に時間を要するため",
        extension_notified_on=dt.date(2026, 6, 25),
    )
    text, _ = printed(EXTENSION_NOTICE, request)
    for words in [
        "開示決定等の期限の延長について（通知）",
        "第83条第2項",
        "６０日",
        "令和８年８月３日",
        "検索に時間を要するため",
        "令和８年６月２５日",
    ]:
        assert squeeze(words) in text, words


def test_the_special_extension_notice_names_article_84_and_both_dates():
    request = DisclosureRequestFactory(
        received_on=dt.date(2026, 6, 3),
        special_reason="著しく大量であるため",
        special_notified_on=dt.date(2026, 6, 25),
        special_until=dt.date(2026, 10, 30),
    )
    text, _ = printed(EXTENSION_NOTICE, request)
    for words in [
        "期限の特例規定の適用について（通知）",
        "第84条",
        "令和８年８月３日",
        "令和８年１０月３０日",
    ]:
        assert squeeze(words) in text, words
