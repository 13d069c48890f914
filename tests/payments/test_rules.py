"""Every rule passes on the seed and flags a crafted violation, naming the flow and item."""

import datetime as dt

import pytest

from consignments.models import Consignment
from linkages.models import Linkage, LinkageItem
from payments import rules
from payments.models import DataItem, Flow, ItemSet, Party, TaxType
from tests.factories import FlowFactory, OrganizationFactory, PartyFactory

pytestmark = pytest.mark.usefixtures("seed")


def party(name: str, role: str) -> Party:
    return Party.objects.get(name=name, role=role)


@pytest.fixture
def nerima_taxes():
    return list(TaxType.objects.filter(business__number__in=["0404-01", "0404-02"]))


def test_the_seed_passes_every_rule():
    assert rules.check_all() == []


def test_the_seed_passes_every_rule_before_the_2020_switch_too():
    assert rules.check_all(dt.date(2019, 6, 1)) == []


def test_it_flags_the_ward_sending_the_taxpayer_name_to_line_pay(nerima_taxes):
    name = DataItem.objects.get(name="納税義務者氏名")
    flow = FlowFactory(
        sender=party("練馬区", Party.Role.WARD),
        receiver=party("LINE Pay", Party.Role.E_MONEY),
        items=[name],
        tax_types=nerima_taxes,
    )
    problems = [p for p in rules.check_all() if p.rule == rules.LINE_GUIDELINE]
    assert [p.flow_id for p in problems] == [flow.pk]
    assert problems[0].message == (
        "データの流れ「練馬区→LINE Pay（電子マネー事業者）：納税義務者氏名」で、"
        "区の保有する個人情報「納税義務者氏名」が約款による外部サービス「LINE Pay 株式会社」"
        "に渡ります。約款による外部サービスには区民の個人情報を提供できません（LINEガイドライン）。"
    )


def test_it_flags_the_agent_passing_the_payment_slip_on_to_line_pay(nerima_taxes):
    FlowFactory(
        sender=party("NTTデータ", Party.Role.PAYMENT_AGENT),
        receiver=party("LINE Pay", Party.Role.E_MONEY),
        item_set=ItemSet.objects.get(name="納付書情報"),
        tax_types=nerima_taxes,
    )
    problems = [p for p in rules.check_all() if p.rule == rules.LINE_GUIDELINE]
    assert len(problems) == 11
    assert "「納税義務者氏名」" in " ".join(p.message for p in problems)


def test_it_flags_data_relayed_through_a_terms_of_service_service(nerima_taxes):
    FlowFactory(
        sender=party("練馬区", Party.Role.WARD),
        receiver=party("NTTデータ", Party.Role.PAYMENT_AGENT),
        via=party("LINE Pay", Party.Role.E_MONEY),
        items=[DataItem.objects.get(name="請求金額")],
        tax_types=nerima_taxes,
    )
    messages = [p.message for p in rules.check_all() if p.rule == rules.LINE_GUIDELINE]
    assert len(messages) == 1
    assert "「請求金額」" in messages[0]
    assert "LINE Payの" not in messages[0]


def test_what_the_payer_gives_line_pay_is_not_the_wards_data(nerima_taxes):
    FlowFactory(
        sender=party("納付者", Party.Role.PAYER),
        receiver=party("LINE Pay", Party.Role.E_MONEY),
        items=[DataItem.objects.get(name="納付書番号")],
        tax_types=nerima_taxes,
    )
    assert [p for p in rules.check_all() if p.rule == rules.LINE_GUIDELINE] == []


def test_it_flags_a_form5_item_the_flows_do_not_send():
    linkage = Linkage.objects.get(business__number="0404-01")
    LinkageItem.objects.create(
        linkage=linkage, direction=LinkageItem.Direction.PROVIDED, position=99, name="住所"
    )
    messages = [p.message for p in rules.check_all() if p.rule == rules.FORM5_ITEMS]
    assert messages == [
        "電算結合記録票「0404-01 株式会社エヌ・ティ・ティ・データ」の〔提供する管理個人情報〕の"
        "「住所」は、データの流れ「練馬区→NTTデータ（MPN収納機関共同利用センター）：納付書情報」"
        "で送られていません。"
    ]


def test_it_flags_a_flowing_item_missing_from_form5():
    linkage = Linkage.objects.get(business__number="0404-02")
    linkage.items.filter(name="コンビニ収納連携情報コード").delete()
    problems = [p for p in rules.check_all() if p.rule == rules.FORM5_ITEMS]
    assert [p.linkage_id for p in problems] == [linkage.pk]
    assert "〔提供を受ける個人情報〕に「コンビニ収納連携情報コード」がありません" in (
        problems[0].message
    )
    assert "NTTデータ（MPN収納機関共同利用センター）→練馬区：納付結果情報" in problems[0].message


def test_it_flags_a_linkage_without_any_flow():
    Flow.objects.filter(sender__name="新宿区", receiver__role=Party.Role.LINKAGE_PARTNER).filter(
        item_set__isnull=False
    ).delete()
    messages = [p.message for p in rules.check_all() if p.rule == rules.FORM5_ITEMS]
    assert messages == [
        "電算結合記録票「9999-01 地方税共同機構」の相手方との間のデータの流れが登録されていません。"
    ]


def test_it_flags_a_flow_on_another_line_than_the_linkage():
    flow = Flow.objects.get(sender__name="練馬区", item_set__name="納付書情報")
    flow.line = Flow.Line.ENCRYPTED_INTERNET
    flow.save()
    problems = [p for p in rules.check_all() if p.rule == rules.FORM5_LINE]
    assert {p.flow_id for p in problems} == {flow.pk}
    assert len(problems) == 2  # one per linkage: 0404-01 and 0404-02
    assert "回線「インターネット（暗号化）」" in problems[0].message
    assert "回線「LGWAN」" in problems[0].message


def test_it_flags_a_card_company_record_without_the_card_number_under_other():
    record = Consignment.objects.get(
        business__number="0404-01", contractor_type="クレジットカード事業者"
    )
    record.record_kinds_other = ""
    record.save()
    messages = [p.message for p in rules.check_all() if p.rule == rules.FORM2_KINDS]
    assert len(messages) == 2  # JCB and UCカード both receive the card number
    assert messages[0] == (
        "データの流れ「NTTデータ（収納代行事業者）→JCB（指定代理納付者）：納付に必要な情報」で"
        "「JCB（指定代理納付者）」が受け取る「クレジットカード番号」に当たる記録の種別"
        "「その他（クレジットカード番号）」が、外部委託記録票「0404-01 クレジットカード事業者」で"
        "チェックされていません。"
    )


def test_it_flags_the_relay_when_its_record_lacks_a_kind():
    record = Consignment.objects.get(
        business__number="0404-02", contractor_type="日本マルチペイメントネットワーク運営機構"
    )
    record.record_kinds.remove("family")
    messages = [p.message for p in rules.check_all() if p.rule == rules.FORM2_KINDS]
    assert messages
    assert all("「日本MPN運営機構」が受け取る「納税義務者氏名」" in m for m in messages)
    assert all("戸籍等事項" in m and "0404-02" in m for m in messages)


def test_it_flags_personal_data_sent_to_an_organisation_without_any_record(nerima_taxes):
    stranger = PartyFactory(
        name="新しい事業者", organization=OrganizationFactory(name="株式会社新規")
    )
    FlowFactory(
        sender=party("練馬区", Party.Role.WARD),
        receiver=stranger,
        items=[DataItem.objects.get(name="納税義務者氏名")],
        tax_types=nerima_taxes,
    )
    messages = [p.message for p in rules.check_all() if p.rule == rules.FORM2_KINDS]
    assert messages == [
        "データの流れ「練馬区→新しい事業者（収納代行事業者）：納税義務者氏名」で個人情報を受け取る"
        "「株式会社新規」について、業務0404-01の外部委託記録票も電算結合記録票もありません。",
        "データの流れ「練馬区→新しい事業者（収納代行事業者）：納税義務者氏名」で個人情報を受け取る"
        "「株式会社新規」について、業務0404-02の外部委託記録票も電算結合記録票もありません。",
    ]


def test_money_and_plain_use_carry_no_personal_data(nerima_taxes):
    FlowFactory(
        sender=party("練馬区", Party.Role.WARD),
        receiver=party("LINE Pay", Party.Role.E_MONEY),
        label="収納金",
        tax_types=nerima_taxes,
    )
    assert rules.check_all() == []
