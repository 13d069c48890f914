"""The report and the answer print with the seed documents' text."""

import re
import unicodedata

import pytest

from reviews.council.pdf import ANSWER, REPORT
from reviews.models import Answer, PreApprovalReport
from tests.factories import AnswerFactory, ReportItemFactory
from tests.pdf_text import font_names, page_texts, squeeze
from tests.seed_forms import seed_form

pytestmark = pytest.mark.usefixtures("seed")

APPENDIX_HEADING = "委託構成図"


def comparable(text: str) -> str:
    """Whitespace removed, full- and half-width forms unified (the seeds mix them), and
    dot leaders of any length counted as one."""
    text = unicodedata.normalize("NFKC", squeeze(text))
    return re.sub(r"・{3,}", "・・・", text)


def printed(pdf) -> str:
    return comparable("".join(page_texts(pdf.content)))


def test_the_nerima_report_prints_the_seed_reports_text():
    pdf = REPORT.render(REPORT.records())
    expected = comparable(seed_form("report_nerima"))
    # 適用日 prints in the correct era: 2020-01 is 令和2年1月, not 平成32年1月 as planned.
    expected = expected.replace("・・・平成32年1月(予定)", "・・・令和2年1月(予定)")
    # The seed's text ends with the category table; the appendix of drawings printed
    # after it (委託構成図, tested in tests/payments/test_report_figures.py) is compared
    # separately, so only the text before its heading is compared here.
    text, heading, _ = printed(pdf).partition(APPENDIX_HEADING)
    assert heading
    assert text == expected
    assert pdf.missing_glyphs == []
    assert "embedded:" in " ".join(font_names(pdf.content))


def test_the_izumi_answer_prints_the_seed_answers_text():
    pdf = ANSWER.render(ANSWER.records(ids=[Answer.objects.get(number=9).pk]))
    assert printed(pdf) == comparable(seed_form("answer_izumi"))
    assert pdf.missing_glyphs == []


def test_a_report_lists_only_the_categories_its_items_use():
    report = PreApprovalReport.objects.get()
    report.items.filter(category__number=16).delete()
    text = printed(REPORT.render([report]))
    assert "ペイジーによる収納業務" not in text.split("外部委託事前一括承認基準")[-1]


def test_an_answer_with_a_condition_prints_it_and_escapes_markup():
    answer = AnswerFactory(
        title="<b>結合</b>について（答申）",
        opinion='<img src="file:///etc/passwd">運営状況を報告すること。',
    )
    text = printed(ANSWER.render([answer]))
    assert "4附帯意見" in text
    assert '<imgsrc="file:///etc/passwd">運営状況を報告すること。' in text
    assert "<b>結合</b>について(答申)" in text


def test_printforms_prints_answers_and_reports(tmp_path):
    from django.core.management import call_command

    call_command("printforms", "--kind", "answer", "--out", str(tmp_path))
    call_command("printforms", "--kind", "report", "--out", str(tmp_path), "--business", "0404-02")
    names = sorted(path.name for path in tmp_path.iterdir())
    assert names == ["answer_9_901.pdf", "report_901.pdf"]


def test_every_list_label_of_the_report_comes_from_the_item():
    report = PreApprovalReport.objects.get()
    report.items.all().delete()
    ReportItemFactory(
        report=report,
        name="住民票の写しのコンビニ交付",
        personal_data_sent="住民票コード",
        personal_data_sent_name="交付請求情報",
        personal_data_received="交付結果",
    )
    # The appendix draws the コンビニ channel's flows, with their own labels.
    text = printed(REPORT.render([report])).partition(APPENDIX_HEADING)[0]
    assert "【区が送信する項目(交付請求情報)】住民票コード" in text
    # No name given: the label says what it is and nothing more.
    assert "【区が受信する項目】交付結果" in text
    assert "納付書情報" not in text and "納付結果情報" not in text
