"""The checks a reviewer runs over the data flows, as plain rules.

Each rule reads the flows (and the Form 2 / Form 5 records they must agree with) and
returns `Problem`s whose messages, in Japanese, name the flow and the item. They run
when a flow, channel or linkage is saved in the admin and from
`python manage.py checkflows`. Apps built on top of payments add their own rules over
the same records with `register_rule` (payments cannot import them), filled by
config.wiring, the one place every extension point is registered.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone

from consignments.models import Consignment
from linkages.models import Linkage
from payments.models import DataItem, Flow, Party


@dataclass(frozen=True)
class Problem:
    rule: str
    message: str
    flow_id: int | None = None
    linkage_id: int | None = None
    consignment_id: int | None = None


LINE_GUIDELINE = "LINEガイドライン"
FORM5_ITEMS = "電算結合記録票の記録項目"
FORM5_LINE = "電算結合記録票の回線"
FORM2_KINDS = "外部委託記録票の記録の種別"


def _flow_name(flow: Flow) -> str:
    via = f"（{flow.via.full_name}経由）" if flow.via_id else ""
    return f"「{flow.sender.full_name}→{flow.receiver.full_name}{via}：{flow.arrow_label}」"


def check_terms_of_service(flows: Iterable[Flow]) -> list[Problem]:
    """No resident personal data held by the ward may reach a terms-of-service external
    service (約款による外部サービス, seed 004). What the payer hands over themselves when
    they use the app is theirs to give, so only flows from the ward and the parties
    acting for it count; a relaying party sees the data too."""
    problems = []
    for flow in flows:
        if flow.sender.role == Party.Role.PAYER:
            continue
        items = flow.carried_items()
        if not items:
            continue
        for party in (flow.receiver, flow.via):
            if party is None or not (party.organization and party.organization.is_terms_of_service):
                continue
            for item in items:
                problems.append(
                    Problem(
                        LINE_GUIDELINE,
                        f"データの流れ{_flow_name(flow)}で、区の保有する個人情報「{item.name}」が"
                        f"約款による外部サービス「{party.organization.name}」に渡ります。"
                        "約款による外部サービスには区民の個人情報を提供できません（LINEガイドライン）。",
                        flow_id=flow.pk,
                    )
                )
    return problems


def _reference_date(linkage: Linkage, today: dt.date) -> dt.date:
    """The day whose flows a linkage must match: today while it is in force, else the
    nearest day it was (its start, if planned; its end, if retired)."""
    if linkage.effective_from and today < linkage.effective_from:
        return linkage.effective_from
    if linkage.effective_until and today > linkage.effective_until:
        return linkage.effective_until
    return today


def _ward_partner_flows(linkage: Linkage, flows: list[Flow], on: dt.date):
    """The flows in force on `on` between the linkage's section and its partner that
    carry data of the linkage's business: (ward → partner, partner → ward)."""
    sent, received = [], []
    for flow in flows:
        if not flow.is_in_force_on(on):
            continue
        if linkage.business_id not in {b.pk for b in flow.businesses()}:
            continue
        if _is_ward_of(flow.sender, linkage) and _is_partner(flow.receiver, linkage):
            sent.append(flow)
        elif _is_partner(flow.sender, linkage) and _is_ward_of(flow.receiver, linkage):
            received.append(flow)
    return sent, received


def _is_ward_of(party: Party, linkage: Linkage) -> bool:
    return party.role == Party.Role.WARD and party.section_id == linkage.business.section_id


def _is_partner(party: Party, linkage: Linkage) -> bool:
    return party.organization_id == linkage.partner_id


def _items_of(flows: list[Flow]) -> list[str]:
    names: list[str] = []
    for flow in flows:
        for item in flow.carried_items():
            if item.name not in names:
                names.append(item.name)
    return names


def check_linkage_items(
    linkages: Iterable[Linkage], flows: list[Flow], today: dt.date | None = None
) -> list[Problem]:
    """A Form 5 record's 〔提供する管理個人情報〕 and 〔提供を受ける個人情報〕 are exactly the
    items the ward sends to and receives from that partner in the flows, so the record
    the council approved describes what really crosses the line."""
    today = today or timezone.localdate()
    problems = []
    for linkage in linkages:
        on = _reference_date(linkage, today)
        sent, received = _ward_partner_flows(linkage, flows, on)
        name = f"電算結合記録票「{linkage.business.number} {linkage.partner.name}」"
        if not sent and not received:
            problems.append(
                Problem(
                    FORM5_ITEMS,
                    f"{name}の相手方との間のデータの流れが登録されていません。",
                    linkage_id=linkage.pk,
                )
            )
            continue
        for heading, recorded, flowing, flow_list in (
            ("提供する管理個人情報", linkage.provided_items, _items_of(sent), sent),
            ("提供を受ける個人情報", linkage.received_items, _items_of(received), received),
        ):
            recorded_names = [item.name for item in recorded]
            flow_names = "、".join(_flow_name(flow) for flow in flow_list) or "（なし）"
            for item in flowing:
                if item not in recorded_names:
                    problems.append(
                        Problem(
                            FORM5_ITEMS,
                            f"{name}の〔{heading}〕に「{item}」がありません"
                            f"（データの流れ{flow_names}で送られています）。",
                            linkage_id=linkage.pk,
                        )
                    )
            for item in recorded_names:
                if item not in flowing:
                    problems.append(
                        Problem(
                            FORM5_ITEMS,
                            f"{name}の〔{heading}〕の「{item}」は、データの流れ{flow_names}"
                            "で送られていません。",
                            linkage_id=linkage.pk,
                        )
                    )
        if linkage.line:
            for flow in sent + received:
                if flow.line and flow.carried_items() and flow.line != linkage.line:
                    problems.append(
                        Problem(
                            FORM5_LINE,
                            f"データの流れ{_flow_name(flow)}の回線「{flow.get_line_display()}」が"
                            f"{name}の回線「{linkage.get_line_display()}」と違います。",
                            flow_id=flow.pk,
                            linkage_id=linkage.pk,
                        )
                    )
    return problems


def _kind_label(item: DataItem) -> str | None:
    if item.record_kind_id:
        return item.record_kind.label
    if item.record_kind_other:
        return f"その他（{item.record_kind_other}）"
    return None


def _ticks(consignment: Consignment, item: DataItem) -> bool:
    if item.record_kind_id:
        return item.record_kind_id in {kind.pk for kind in consignment.record_kinds.all()}
    if item.record_kind_other:
        return item.record_kind_other in consignment.record_kinds_other
    return True


def check_consignment_record_kinds(
    flows: Iterable[Flow], consignments: list[Consignment], linkages: list[Linkage]
) -> list[Problem]:
    """An outside party that receives (or relays) personal data does so under a Form 2
    record as contractor, with the matching 記録の種別 ticked (クレジットカード番号 under
    その他 for card companies), or under a Form 5 record as linkage partner."""
    problems = []
    for flow in flows:
        items = flow.carried_items()
        if not items:
            continue
        for party in (flow.receiver, flow.via):
            if party is None or not party.organization_id:
                continue
            for business in flow.businesses():
                records = [
                    c
                    for c in consignments
                    if c.business_id == business.pk
                    and party.organization_id in {o.pk for o in c.contractors.all()}
                    and (not party.contractor_type or c.contractor_type == party.contractor_type)
                ]
                if not records:
                    if any(
                        link.business_id == business.pk and link.partner_id == party.organization_id
                        for link in linkages
                    ):
                        continue
                    problems.append(
                        Problem(
                            FORM2_KINDS,
                            f"データの流れ{_flow_name(flow)}で個人情報を受け取る"
                            f"「{party.organization.name}」について、業務{business.number}の"
                            "外部委託記録票も電算結合記録票もありません。",
                            flow_id=flow.pk,
                        )
                    )
                    continue
                for record in records:
                    for item in items:
                        if not _ticks(record, item):
                            problems.append(
                                Problem(
                                    FORM2_KINDS,
                                    f"データの流れ{_flow_name(flow)}で「{party.full_name}」が受け取る"
                                    f"「{item.name}」に当たる記録の種別「{_kind_label(item)}」が、"
                                    f"外部委託記録票「{record.business.number} "
                                    f"{record.contractor_type}」でチェックされていません。",
                                    flow_id=flow.pk,
                                    consignment_id=record.pk,
                                )
                            )
    return problems


Rule = Callable[[dt.date | None], list[Problem]]
_registered_rules: list[Rule] = []


def register_rule(rule: Rule) -> None:
    """`rule(today)` returns its problems; check_all runs it after the rules above."""
    if rule not in _registered_rules:
        _registered_rules.append(rule)


def check_all(today: dt.date | None = None) -> list[Problem]:
    """Every rule over every flow, Form 2 and Form 5 record (the rules above in a fixed
    number of queries), then the rules other apps registered."""
    flows = list(Flow.objects.with_parties())
    linkages = list(Linkage.objects.with_form_data().select_related("business__section", "partner"))
    consignments = list(Consignment.objects.with_form_data())
    return (
        check_terms_of_service(flows)
        + check_linkage_items(linkages, flows, today)
        + check_consignment_record_kinds(flows, consignments, linkages)
        + [problem for rule in _registered_rules for problem in rule(today)]
    )


def problems_for_flows(flow_ids: set[int], today: dt.date | None = None) -> list[Problem]:
    return [p for p in check_all(today) if p.flow_id in flow_ids]


def problems_for_linkage(linkage_id: int, today: dt.date | None = None) -> list[Problem]:
    return [p for p in check_all(today) if p.linkage_id == linkage_id]


def problems_for_consignment(consignment_id: int) -> list[Problem]:
    return [p for p in check_all() if p.consignment_id == consignment_id]
