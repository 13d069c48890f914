"""What the register already knows about a 業務's personal-information file, proposed
for its 個人情報ファイル簿 entry. Each proposal says where it comes from; staff confirm or
change every one on the form (the system proposes, people decide)."""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from consignments.models import Consignment
from filebook.models import ITEMS, PersonalInfoFile
from linkages.models import Linkage
from payments.models import Flow, Party
from registry.models import Business

# The Act applies to wards from 令和5年4月1日.
ACT_IN_FORCE = dt.date(2023, 4, 1)
# 記録の種別 (Form 2) whose data is 要配慮個人情報 under the Act (art. 2(3)): health and
# medical history, creed.
SENSITIVE_KINDS = {"health": "心身健康", "belief": "思想信条"}
COMPUTER_TRANSFER = "computer"  # 授受の形態「電算処理」
BUSINESS_SUFFIX = "に関する業務"


@dataclass
class Proposal:
    """Field values for a new file of `business`, where each came from (by field name),
    and prompts staff must answer themselves (要配慮個人情報)."""

    business: Business
    data: dict
    sources: dict[str, list[str]] = field(default_factory=dict)
    prompts: list[str] = field(default_factory=list)

    def labelled_sources(self) -> list[tuple[str, str]]:
        """(item label, where its proposal came from), in the 帳簿's order."""
        return [
            (label, "、".join(dict.fromkeys(self.sources[key])))
            for key, label in ITEMS
            if key in self.sources
        ]


def _add(names: list[str], name: str) -> None:
    if name and name not in names:
        names.append(name)


def business_flows(business: Business, on: dt.date) -> list[Flow]:
    """The data flows in force on `on` that carry data of `business` (by tax type)."""
    return [
        flow
        for flow in Flow.objects.in_force(on).with_parties()
        if business.pk in {b.pk for b in flow.businesses()}
    ]


def file_name(business: Business) -> str:
    """特別区民税・都民税に関する業務 → 特別区民税・都民税ファイル."""
    return business.name.removesuffix(BUSINESS_SUFFIX) + "ファイル"


def propose(business: Business, on: dt.date | None = None) -> Proposal:
    """A draft's content for `business` from its Form 2 and Form 5 records in force and
    its data flows on `on` (today)."""
    on = on or timezone.localdate()
    section = business.section
    consignments = list(Consignment.objects.in_force(on).filter(business=business).with_form_data())
    linkages = list(Linkage.objects.in_force(on).filter(business=business).with_form_data())
    flows = business_flows(business, on)
    sources: dict[str, list[str]] = {}
    prompts: list[str] = []

    # 記録項目: the data items the linkages and flows carry, then what a Form 2 names
    # under その他 or ticks without any item of that kind.
    items: list[str] = []
    for linkage in linkages:
        for item in [*linkage.provided_items, *linkage.received_items]:
            _add(items, item.name)
    if items:
        sources.setdefault("record_items", []).append(
            "電算結合記録票（第5号様式）の個人情報の記録項目"
        )
    kinds_of_items: set[str] = set()
    flow_items = 0
    for flow in flows:
        for item in flow.carried_items():
            if item.record_kind_id:
                kinds_of_items.add(item.record_kind_id)
            if item.name not in items:
                flow_items += 1
            _add(items, item.name)
    if flow_items:
        sources.setdefault("record_items", []).append("データの流れで送受信される項目")
    for consignment in consignments:
        if consignment.record_kinds_other:
            _add(items, consignment.record_kinds_other)
            sources.setdefault("record_items", []).append(
                f"外部委託記録票「{consignment.contractor_type}」の記録の種別（その他）"
            )
        for kind in consignment.record_kinds.all():
            if kind.pk not in kinds_of_items:
                _add(items, kind.label.split("(")[0].split(" ")[0].strip())
                sources.setdefault("record_items", []).append(
                    f"外部委託記録票「{consignment.contractor_type}」の記録の種別"
                )

    # 要配慮個人情報: a prompt, never a silent tick.
    sensitive = set()
    for consignment in consignments:
        for kind in consignment.record_kinds.all():
            if kind.pk in SENSITIVE_KINDS:
                sensitive.add(SENSITIVE_KINDS[kind.pk])
    sensitive |= {SENSITIVE_KINDS[k] for k in kinds_of_items if k in SENSITIVE_KINDS}
    if sensitive:
        prompts.append(
            f"この業務の記録には「{'」「'.join(sorted(sensitive))}」の情報が含まれます。"
            "要配慮個人情報（病歴、信条など）に当たるか確認し、"
            "「要配慮個人情報が含まれるときはその旨」を選んでください。"
        )

    # 経常的提供先: the linkage partners, and organisations the ward sends data to in the
    # flows that are not its contractors (a 委託 is not a 提供).
    recipients: list[str] = []
    for linkage in linkages:
        _add(recipients, linkage.partner.name)
    if recipients:
        sources["regular_recipients"] = ["電算結合記録票（第5号様式）の電算結合の相手方"]
    contractors = {o.pk for c in consignments for o in c.contractors.all()}
    for flow in flows:
        receiver = flow.receiver
        if (
            flow.sender.role == Party.Role.WARD
            and flow.sender.section_id == section.pk
            and receiver.organization_id
            and receiver.organization_id not in contractors
            and flow.carried_items()
            and receiver.organization.name not in recipients
        ):
            _add(recipients, receiver.organization.name)
            sources.setdefault("regular_recipients", []).append(f"データの流れ{flow}の受け手")

    # 種別: 電算処理 in a Form 2's 授受の形態, or any computer linkage.
    computer = linkages or any(
        COMPUTER_TRANSFER in {t.pk for t in c.transfer_forms.all()} for c in consignments
    )
    if computer:
        file_kind = PersonalInfoFile.FileKind.COMPUTER
        sources["file_kind"] = [
            "外部委託記録票の授受の形態「電算処理」" if consignments else "電算結合記録票"
        ]
    elif consignments:
        file_kind = PersonalInfoFile.FileKind.MANUAL
        sources["file_kind"] = ["外部委託記録票の授受の形態（電算処理なし）"]
    else:
        file_kind = ""

    tax_types = [tax.name for tax in business.tax_types.all()]
    record_scope = "・".join(tax_types) + "の納税義務者" if tax_types else ""
    if record_scope:
        sources["record_scope"] = ["業務の税目"]
    sources["organization_name"] = ["業務の所管課"]
    sources["purpose"] = sources["name"] = ["業務の名称"]
    # A file of an older 業務 exists from the day the Act applied; a newer one from its
    # first record (or today).
    starts = [record.effective_from for record in [*consignments, *linkages]]
    data = {
        "business": business,
        "name": file_name(business),
        "agency_name": settings.FILEBOOK_AGENCY_NAME,
        "organization_name": f"{section.department} {section.name}",
        "purpose": f"{business.name}を行うため"
        if business.name.endswith("業務")
        else f"{business.name}に関する事務を行うため",
        "record_items": "\n".join(items),
        "record_scope": record_scope,
        "sensitive": bool(sensitive),
        "regular_recipients": "\n".join(recipients),
        "file_kind": file_kind,
        "effective_from": max(ACT_IN_FORCE, min(starts)) if starts else max(ACT_IN_FORCE, on),
        "built_from_register": True,
    }
    return Proposal(business=business, data=data, sources=sources, prompts=prompts)
