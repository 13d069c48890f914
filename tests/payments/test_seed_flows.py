"""The seed's flows say the same as its Form 2 and Form 5 records, computed directly
from the flows rather than through the rules."""

import datetime as dt

import pytest
from django.utils import timezone

from consignments.models import Consignment
from linkages.models import Linkage
from payments.models import Channel, Flow, Party

pytestmark = pytest.mark.usefixtures("seed")


def items_between(linkage: Linkage, *, to_partner: bool) -> list[str]:
    today = max(timezone.localdate(), linkage.effective_from)
    names: list[str] = []
    for flow in (
        Flow.objects.with_parties().in_force(today).filter(tax_types__business=linkage.business)
    ):
        ward, partner = (flow.sender, flow.receiver) if to_partner else (flow.receiver, flow.sender)
        if ward.section_id == linkage.business.section_id and (
            partner.organization_id == linkage.partner_id
        ):
            names += [item.name for item in flow.carried_items() if item.name not in names]
    return names


@pytest.mark.parametrize("number", ["0404-01", "0404-02"])
def test_nerima_form5_item_lists_equal_what_the_flows_send_and_receive(number):
    linkage = Linkage.objects.with_form_data().get(business__number=number)
    assert items_between(linkage, to_partner=True) == [i.name for i in linkage.provided_items]
    assert items_between(linkage, to_partner=False) == [i.name for i in linkage.received_items]
    assert len(linkage.provided_items) == 11
    assert len(linkage.received_items) == 21


def test_shinjuku_form5_item_lists_equal_what_the_flows_send_and_receive():
    jnks = Linkage.objects.with_form_data().get(partner__name="地方税共同機構")
    airis = Linkage.objects.with_form_data().get(partner__name="一般財団法人自動車検査登録情報協会")
    assert items_between(jnks, to_partner=True) == [i.name for i in jnks.provided_items]
    assert items_between(jnks, to_partner=False) == [] == jnks.received_items
    assert items_between(airis, to_partner=False) == [i.name for i in airis.received_items]
    assert items_between(airis, to_partner=True) == [] == airis.provided_items
    assert (jnks.get_line_display(), airis.get_line_display()) == (
        "LGWAN",
        "インターネット（暗号化）",
    )
    assert len(jnks.provided_items) == 12
    assert len(airis.received_items) == 33


def test_every_contractor_receiving_personal_data_has_the_matching_record_kinds_ticked():
    checked = 0
    for flow in Flow.objects.with_parties():
        items = flow.carried_items()
        for receiver in filter(None, (flow.receiver, flow.via)):
            if not receiver.contractor_type or not items:
                continue
            for business in flow.businesses():
                record = Consignment.objects.get(
                    business=business,
                    contractor_type=receiver.contractor_type,
                    contractors=receiver.organization,
                )
                ticked = set(record.record_kinds.values_list("code", flat=True))
                for item in items:
                    if item.record_kind_id:
                        assert item.record_kind_id in ticked, (flow, item)
                    if item.record_kind_other:
                        assert item.record_kind_other in record.record_kinds_other, (flow, item)
                    checked += 1
    assert checked > 100


def test_card_companies_receive_the_card_number_which_their_record_names_under_other():
    card_flows = Flow.objects.filter(
        receiver__role=Party.Role.DESIGNATED_PAYER, item_set__items__name="クレジットカード番号"
    )
    assert {f.receiver.name for f in card_flows} == {"JCB", "UCカード"}


def test_line_pay_only_sends_payment_results_and_money_to_the_agent():
    line_pay = Party.objects.get(name="LINE Pay")
    received = Flow.objects.filter(receiver=line_pay)
    assert [(f.sender.name, f.arrow_label, f.carried_items()) for f in received] == [
        ("納付者", "利用", [])
    ]
    sent = {(f.receiver.role, f.arrow_label) for f in Flow.objects.filter(sender=line_pay)}
    assert sent == {
        (Party.Role.PAYMENT_AGENT, "納付結果情報"),
        (Party.Role.PAYMENT_AGENT, "収納金"),
    }


def test_the_seed_has_the_six_nerima_channels_with_their_start_and_category():
    channels = [
        (c.name, c.started_on_display, c.category.number if c.category else None)
        for c in Channel.objects.select_related("category")
    ]
    assert channels == [
        ("窓口", "—", None),
        ("コンビニ", "平成21年1月1日", 17),
        ("モバイルレジ", "平成22年6月1日", 17),
        ("モバイルレジクレジット", "平成31年4月1日", 17),
        ("電子マネー", "平成31年4月1日", 17),
        ("ペイジー", "令和2年1月1日", 16),
    ]


def test_the_results_reach_the_ward_from_the_shared_centre_from_2020():
    def result_senders(on):
        return {
            f.sender.full_name
            for f in Flow.objects.in_force(on).filter(
                receiver__name="練馬区", item_set__name="納付結果情報"
            )
        }

    assert result_senders(dt.date(2019, 12, 31)) == {
        "NTTデータ（収納代行事業者）",
        "みずほ銀行（金融機関）",
    }
    assert result_senders(dt.date(2020, 1, 1)) == {"NTTデータ（MPN収納機関共同利用センター）"}
