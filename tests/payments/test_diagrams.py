"""Every seed channel and linkage has its diagram, with every party and label in it."""

import datetime as dt
import html
import re

import pytest

from linkages.models import Linkage
from payments import diagrams
from payments.models import Channel, Party
from tests.factories import ChannelFactory, FlowFactory, PartyFactory

pytestmark = pytest.mark.usefixtures("seed")


def svg_texts(svg: str) -> str:
    return html.unescape(svg)


def test_every_channel_has_a_diagram_per_period_with_every_party_and_label():
    for channel in Channel.objects.all():
        flows = diagrams.channel_flows(channel)
        drawn = diagrams.channel_diagrams(channel)
        assert drawn, channel
        for period, svg in drawn:
            assert svg.startswith("<svg")
            text = svg_texts(svg)
            assert f"{channel.name}による納付（{period.title}）" in text
            for flow in flows:
                if not flow.is_in_force_on(period.on):
                    continue
                for party in filter(None, (flow.sender, flow.receiver, flow.via)):
                    for line in party.label.splitlines():
                        assert f">{line}</text>" in text, (channel, period, line)
                assert f">{flow.arrow_label}</text>" in text, (channel, period, flow)
                if flow.line:
                    assert f">［{flow.get_line_display()}］</text>" in text


def test_the_channel_diagrams_split_before_and_after_january_2020():
    titles = {
        c.name: [p.title for p, _ in diagrams.channel_diagrams(c)] for c in Channel.objects.all()
    }
    assert titles["コンビニ"] == ["平成21年1月1日から令和元年12月31日まで", "令和2年1月1日以降"]
    assert titles["窓口"] == ["当初から令和元年12月31日まで", "令和2年1月1日以降"]
    assert titles["ペイジー"] == ["令和2年1月1日以降"]


def test_the_e_money_diagram_changes_where_the_results_go():
    channel = Channel.objects.get(name="電子マネー")
    before = svg_texts(diagrams.channel_svg(channel, dt.date(2019, 12, 31)))
    after = svg_texts(diagrams.channel_svg(channel, dt.date(2020, 1, 1)))
    assert "MPN収納機関共同利用センター" not in before
    assert ">［ISDN］</text>" in before
    assert "MPN収納機関共同利用センター" in after
    assert ">（約款による外部サービス）</text>" in after


def test_labels_use_the_japanese_font():
    svg = diagrams.channel_svg(Channel.objects.get(name="ペイジー"))
    assert 'font-family="IPAexGothic"' in svg


def test_a_drawing_carries_no_graphviz_ids_as_titles_only_its_japanese_title():
    linkage = Linkage.objects.select_related("business", "partner").first()
    svg = diagrams.titled(diagrams.linkage_svg(linkage), "電算結合の図")
    assert re.findall(r"<title>([^<]*)</title>", svg) == ["電算結合の図"]


def test_every_linkage_has_a_diagram_with_both_sides_and_the_item_sets():
    expected = {
        "0404-01": ["練馬区", "NTTデータ", "納付書情報", "納付結果情報", "［LGWAN］"],
        "9999-01": ["新宿区"],
    }
    for linkage in Linkage.objects.select_related("business", "partner"):
        text = svg_texts(diagrams.linkage_svg(linkage))
        for word in expected.get(linkage.business.number, []):
            assert f">{word}</text>" in text, (linkage, word)
        for flow in diagrams.linkage_flows(linkage):
            assert f">{flow.arrow_label}</text>" in text
    airis = Linkage.objects.get(partner__name="一般財団法人自動車検査登録情報協会")
    text = svg_texts(diagrams.linkage_svg(airis))
    assert ">軽自動車税（種別割）の車検証情報に係る項目</text>" in text
    assert ">［インターネット（暗号化）］</text>" in text


def test_the_overview_lists_the_channels_an_arrow_serves():
    text = svg_texts(diagrams.overview_svg(on=dt.date(2020, 1, 1)))
    assert "収納方法に関する全体図（令和2年1月1日現在）" in text
    assert "（窓口・コンビニ・モバイルレジ・モバイルレジクレジット・電子マネー・ペイジー）" in text


def test_user_text_is_escaped_in_the_svg():
    channel = ChannelFactory()
    evil = PartyFactory(name='<script>alert("x")</script>', role=Party.Role.PAYMENT_AGENT)
    FlowFactory(sender=evil, receiver=PartyFactory(), label="<b>収納金</b>", channels=[channel])
    svg = diagrams.channel_svg(channel)
    assert "<script>" not in svg
    assert "<b>" not in svg
    assert "&lt;script&gt;" in svg


def test_the_same_svg_embeds_in_a_pdf_with_the_japanese_font_and_readable_text():
    import io

    import weasyprint
    from pypdf import PdfReader

    svg = diagrams.channel_svg(Channel.objects.get(name="電子マネー"), dt.date(2020, 1, 1))
    pdf = weasyprint.HTML(string=f"<html><body>{svg}</body></html>").write_pdf()
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    text = page.extract_text()
    for word in [
        "納付者",
        "LINE Pay",
        "約款による外部サービス",
        "納付結果情報",
        "収納金",
        "練馬区",
    ]:
        assert word in text
    fonts = {str(font["/BaseFont"]) for font in page["/Resources"]["/Font"].values()}
    assert any(name.endswith("+IPAexGothic") for name in fonts), fonts


def test_a_report_overview_of_some_channels_names_only_those():
    new = Channel.objects.filter(name__in=["モバイルレジクレジット", "電子マネー", "ペイジー"])
    text = svg_texts(diagrams.overview_svg(new, on=dt.date(2020, 1, 1)))
    assert "（モバイルレジクレジット・電子マネー・ペイジー）" in text
    assert "コンビニ" not in text
    assert ">みずほ銀行</text>" not in text


def test_a_diagram_is_drawn_once_and_again_only_when_its_flows_change():
    channel = Channel.objects.get(name="ペイジー")
    first = diagrams.channel_svg(channel)
    before = diagrams._render_svg.cache_info()
    second = diagrams.channel_svg(channel)
    # Same drawing, numbered apart so two on one page keep distinct ids.
    assert re.sub(r"flows\d+", "flowsN", second) == re.sub(r"flows\d+", "flowsN", first)
    assert second != first
    after = diagrams._render_svg.cache_info()
    assert (after.hits, after.misses) == (before.hits + 1, before.misses)
    # A renamed party is drawn afresh: the cache is keyed by the drawing's content.
    party = channel.flows.first().receiver
    party.name = "名称を変更した事業者"
    party.save()
    changed = diagrams.channel_svg(channel)
    assert "名称を変更した事業者" in svg_texts(changed)
    assert diagrams._render_svg.cache_info().misses == before.misses + 1
