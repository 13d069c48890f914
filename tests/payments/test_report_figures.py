"""The report PDF's appendix (委託構成図): each item's payment channel drawn as it stands
on the item's 適用日, registered by payments through reviews.figures."""

import pytest

from payments.figures import channel_for_report_item
from reviews.council.pdf import REPORT
from reviews.models import PreApprovalReport, ReportItem
from tests.factories import PreApprovalReportFactory, ReportItemFactory
from tests.pdf_text import page_texts, squeeze

pytestmark = pytest.mark.usefixtures("seed")


def appendix_pages(pdf) -> list[str]:
    """The pages from the one starting with the appendix heading on, whitespace removed."""
    pages = [squeeze(text) for text in page_texts(pdf.content)]
    starts = [index for index, text in enumerate(pages) if text.startswith("委託構成図")]
    assert len(starts) == 1, "the appendix starts one page of its own"
    return pages[starts[0] :]


def test_it_matches_each_seed_item_to_the_channel_it_introduces_longest_name_first():
    matched = {
        item.name: channel_for_report_item(item).name
        for item in ReportItem.objects.order_by("position")
    }
    assert matched == {
        "モバイルレジクレジットによる納付": "モバイルレジクレジット",
        "電子マネーによる納付": "電子マネー",
        "ペイジーによる納付": "ペイジー",
    }


def test_the_nerima_report_ends_with_the_three_channels_diagrams():
    pdf = REPORT.render(REPORT.records())
    pages = appendix_pages(pdf)
    assert len(pages) == 3  # one drawing a page, scaled to fit it
    credit, emoney, payeasy = pages
    assert "①モバイルレジクレジットによる納付" in credit
    # Drawn as on the item's 適用日 (平成31年4月), before ペイジー replaced ISDN.
    assert "モバイルレジクレジットによる納付（平成31年4月1日現在）" in credit
    for word in ["納付者", "練馬区", "NTTデータ", "収納代行事業者", "JCB", "UCカード", "ISDN"]:
        assert word in credit, word
    assert "②電子マネーによる納付" in emoney
    for word in ["LINEPay", "電子マネー事業者", "（約款による外部サービス）", "練馬区"]:
        assert word in emoney, word
    assert "③ペイジーによる納付" in payeasy
    assert "ペイジーによる納付（令和2年1月1日現在）" in payeasy
    for word in ["日本MPN運営機構", "MPN収納機関共同利用センター", "各金融機関", "LGWAN"]:
        assert word in payeasy, word
    assert pdf.missing_glyphs == []


def test_a_report_whose_items_introduce_no_channel_has_no_appendix():
    report = PreApprovalReportFactory(section=PreApprovalReport.objects.get().section)
    ReportItemFactory(report=report, name="口座振替の受付業務")
    text = squeeze("".join(page_texts(REPORT.render([report]).content)))
    assert "口座振替の受付業務" in text
    assert "委託構成図" not in text


def test_an_items_name_prints_escaped_above_its_drawing_and_nothing_is_fetched():
    # weasyprint_warnings (autouse) fails the test if the renderer tried to fetch the file.
    report = PreApprovalReportFactory(section=PreApprovalReport.objects.get().section)
    ReportItemFactory(report=report, name='<img src="file:///etc/passwd">ペイジーによる納付')
    pages = appendix_pages(REPORT.render([report]))
    assert pages[0].startswith('委託構成図①<imgsrc="file:///etc/passwd">ペイジーによる納付')
    assert "日本MPN運営機構" in pages[0]
