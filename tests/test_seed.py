"""The seed fixture holds every record of the Nerima report, as the forms show them."""

import datetime as dt

import pytest

from consignments.models import Consignment
from linkages.models import Linkage
from registry.models import Business, Organization
from reviews.models import Consultation, PreApprovalCategory

pytestmark = pytest.mark.usefixtures("seed")

ALL_CONDITIONS = {
    "知り得た個人情報の保持",
    "目的外利用および第三者への提供禁止",
    "再委託の禁止",
    "複写および複製の禁止",
    "個人情報の授受、保管、廃棄または返還事項",
    "立入検査および調査に応ずる義務",
    "事故発生時の報告義務",
    "義務違反等の公表措置および損害賠償",
}

# (業務登録番号, 委託先業種): (委託期間 start, 審議会事項, 記録の種別 その他)
FORM2 = {
    ("0404-01", "収納代行事業者"): (
        dt.date(2009, 1, 1),
        ["平成21年10月22日 諮問第23号", "事前一括承認基準(３‐１７)"],
        "",
    ),
    ("0404-01", "クレジットカード事業者"): (
        dt.date(2019, 4, 1),
        ["事前一括承認基準(３‐１７)"],
        "クレジットカード番号",
    ),
    ("0404-01", "電子マネー事業者"): (dt.date(2019, 4, 1), ["事前一括承認基準(３‐１７)"], ""),
    ("0404-01", "日本マルチペイメントネットワーク運営機構"): (
        dt.date(2020, 1, 1),
        ["事前一括承認基準(３‐１６)"],
        "",
    ),
    ("0404-01", "マルチペイメントネットワーク収納機関共同利用センター運営事業者"): (
        dt.date(2020, 1, 1),
        ["事前一括承認基準(３‐１６)"],
        "",
    ),
    ("0404-02", "収納代行事業者"): (
        dt.date(2006, 4, 1),
        [
            "平成18年1月25日 諮問第20号",
            "平成21年10月22日 諮問第23号",
            "事前一括承認基準(３‐１７)",
        ],
        "",
    ),
    ("0404-02", "クレジットカード事業者"): (
        dt.date(2019, 4, 1),
        ["事前一括承認基準(３‐１７)"],
        "クレジットカード番号",
    ),
    ("0404-02", "電子マネー事業者"): (dt.date(2019, 4, 1), ["事前一括承認基準(３‐１７)"], ""),
    ("0404-02", "日本マルチペイメントネットワーク運営機構"): (
        dt.date(2020, 1, 1),
        ["事前一括承認基準(３‐１６)"],
        "",
    ),
    ("0404-02", "マルチペイメントネットワーク収納機関共同利用センター運営事業者"): (
        dt.date(2020, 1, 1),
        ["事前一括承認基準(３‐１６)"],
        "",
    ),
}


def test_it_loads_both_businesses_of_the_tax_collection_section():
    businesses = {
        b.number: (b.name, str(b.section))
        for b in Business.objects.filter(section__department="区民部")
    }
    assert businesses == {
        "0404-01": ("特別区民税・都民税に関する業務", "区民部 収納課"),
        "0404-02": ("軽自動車税に関する業務", "区民部 収納課"),
    }


def test_it_loads_the_ten_outsourcing_records_as_the_forms_show_them():
    records = Consignment.objects.with_form_data()
    assert len(records) == 10
    for record in records:
        start, references, other_kind = FORM2[(record.business.number, record.contractor_type)]
        assert record.period_kind == Consignment.PeriodKind.ONGOING
        assert record.period_start == start
        assert record.council_references == references
        assert [kind.label[:4] for kind in record.record_kinds.all()] == ["戸籍等事", "経済活動"]
        assert record.record_kinds_other == other_kind
        assert {c.label for c in record.conditions.all()} == ALL_CONDITIONS
        assert record.conditions_other == ""
        assert [form.label for form in record.transfer_forms.all()] == ["電算処理"]
        assert record.manager == "収納課長"


def test_it_keeps_the_contract_content_word_for_word():
    record = Consignment.objects.get(
        business__number="0404-02", contractor_type="日本マルチペイメントネットワーク運営機構"
    )
    assert record.content.splitlines() == [
        "納付者がペイジーを利用して納付する際に、つぎの事項を行うため、ＭＰＮを利用する。",
        "・納付者が入力した納付書番号を、金融機関がＭＰＮ収納機関共同利用センターに照会する。",
        "・照会した番号の納付書情報を、金融機関がＭＰＮ収納機関共同利用センターから受信する。",
        "・受信した納付書情報を基に納付された納付結果情報を、金融機関がＭＰＮ収納機関共同利用センターに送信する。",
    ]


def test_it_links_the_card_companies_as_contractors():
    record = Consignment.objects.get(
        business__number="0404-01", contractor_type="クレジットカード事業者"
    )
    assert {o.name for o in record.contractors.all()} == {
        "株式会社ジェーシービー",
        "ユーシーカード株式会社",
    }


def test_it_loads_the_two_linkage_records_with_their_item_lists():
    linkages = Linkage.objects.with_form_data().filter(business__section__department="区民部")
    assert [linkage.business.number for linkage in linkages] == ["0404-01", "0404-02"]
    for linkage in linkages:
        assert linkage.partner.name == "株式会社エヌ・ティ・ティ・データ"
        assert linkage.partner.address == "東京都江東区豊洲3-3-3"
        assert linkage.linked_on == dt.date(2020, 1, 1)
        assert str(linkage.linked_consultation) == "平成31年1月29日 諮問第5号"
        assert linkage.changed_on is None
        provided = [item.name for item in linkage.provided_items]
        received = [item.name for item in linkage.received_items]
        assert provided == [
            "税目", "納付書番号", "確認番号", "納付区分", "納税義務者氏名", "請求金額",
            "本税金額", "延滞金額", "支払期限", "年度", "期別",
        ]  # fmt: skip
        assert received[: len(provided)] == provided
        assert received[len(provided) :] == [
            "支払金額", "支払本税金額", "支払延滞金額", "支払方法", "収納日時", "収納区分",
            "チャネル区分", "金融機関コード", "店舗コード", "コンビニ収納連携情報コード",
        ]  # fmt: skip


def test_it_loads_categories_16_and_17_with_their_examples():
    categories = {
        c.number: (c.rule, [e.text for e in c.examples.all()])
        for c in PreApprovalCategory.objects.prefetch_related("examples")
    }
    assert categories == {
        16: ("金融機関を通じて公金の支払および収納を行う。", ["ペイジーによる収納業務"]),
        17: (
            "金融機関以外の者が税金等を領収し、区へ送金する。",
            ["携帯電話収納業務", "クレジットカード決済の代理納付業務", "電子マネーによる収納業務"],
        ),
    }


def test_it_loads_the_consultations_the_forms_cite():
    cited = Consultation.objects.filter(section__name="収納課")
    assert [(str(c), c.fiscal_year_display) for c in cited] == [
        ("平成18年1月25日 諮問第20号", "平成17年度"),
        ("平成21年10月22日 諮問第23号", "平成21年度"),
        ("平成31年1月29日 諮問第5号", "平成30年度"),
    ]


def test_only_line_pay_is_a_terms_of_service_service():
    assert list(
        Organization.objects.filter(is_terms_of_service=True).values_list("name", flat=True)
    ) == ["LINE Pay 株式会社"]
