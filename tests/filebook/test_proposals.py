"""What the register proposes for a 業務's file: 記録項目 from Form 2 record kinds and
Form 5 / flow items, 経常的提供先 from linkages and flows, 種別 from 授受の形態, and a
prompt (never a silent answer) where the records hold 心身健康 or 思想信条 data."""

import datetime as dt

import pytest

from consignments.models import RecordKind, TransferForm
from filebook.models import PersonalInfoFile
from filebook.proposals import ACT_IN_FORCE, propose
from payments.models import Party
from tests.factories import (
    BusinessFactory,
    ConsignmentFactory,
    DataItemFactory,
    FlowFactory,
    LinkageFactory,
    LinkageItemFactory,
    OrganizationFactory,
    PartyFactory,
    TaxTypeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def business():
    return BusinessFactory(name="介護保険に関する業務")


def consignment(business, kinds=(), transfer=("document",), **kwargs):
    record = ConsignmentFactory(business=business, record_kinds=list(kinds), **kwargs)
    record.transfer_forms.set(TransferForm.objects.filter(code__in=transfer))
    return record


def test_an_empty_business_gets_names_and_dates_only(business):
    proposal = propose(business, on=dt.date(2026, 5, 1))
    data = proposal.data
    assert data["name"] == "介護保険ファイル"
    assert data["purpose"] == "介護保険に関する業務を行うため"
    assert data["organization_name"] == f"{business.section.department} {business.section.name}"
    assert (data["record_items"], data["regular_recipients"], data["file_kind"]) == ("", "", "")
    assert data["effective_from"] == dt.date(2026, 5, 1)
    assert proposal.prompts == []


def test_manual_transfer_proposes_a_manual_file_and_record_kinds_as_items(business):
    consignment(business, kinds=RecordKind.objects.filter(code__in=["family", "economic"]))
    data = propose(business).data
    assert data["file_kind"] == PersonalInfoFile.FileKind.MANUAL
    assert data["record_items"].splitlines() == ["戸籍等事項", "経済活動"]
    assert data["effective_from"] == ACT_IN_FORCE


def test_computer_processing_proposes_a_computer_file(business):
    consignment(business, transfer=("document", "computer"))
    proposal = propose(business)
    assert proposal.data["file_kind"] == PersonalInfoFile.FileKind.COMPUTER
    assert ("個人情報ファイルの種別", "外部委託記録票の授受の形態「電算処理」") in (
        proposal.labelled_sources()
    )


@pytest.mark.parametrize("code, shown", [("health", "心身健康"), ("belief", "思想信条")])
def test_health_or_creed_data_prompts_for_the_sensitive_item(business, code, shown):
    consignment(business, kinds=RecordKind.objects.filter(code=code))
    proposal = propose(business)
    assert proposal.data["sensitive"] is True
    assert len(proposal.prompts) == 1 and f"「{shown}」" in proposal.prompts[0]


def test_linkage_items_and_partners_become_items_and_recipients(business):
    linkage = LinkageFactory(business=business, partner=OrganizationFactory(name="地方税共同機構"))
    LinkageItemFactory(linkage=linkage, name="氏名")
    LinkageItemFactory(linkage=linkage, name="要介護度")
    data = propose(business).data
    assert data["record_items"].splitlines() == ["氏名", "要介護度"]
    assert data["regular_recipients"] == "地方税共同機構"
    assert data["file_kind"] == PersonalInfoFile.FileKind.COMPUTER


def test_flows_from_the_ward_to_a_non_contractor_make_a_recipient(business):
    tax = TaxTypeFactory(business=business, name="介護保険料")
    ward = PartyFactory(
        role=Party.Role.WARD, section=business.section, organization=None, name="区"
    )
    contractor = OrganizationFactory(name="委託先株式会社")
    consignment(business).contractors.set([contractor])
    item = DataItemFactory(name="被保険者番号", record_kind=RecordKind.objects.get(code="health"))
    for organization in (contractor, OrganizationFactory(name="国民健康保険団体連合会")):
        receiver = PartyFactory(role=Party.Role.LINKAGE_PARTNER, organization=organization)
        FlowFactory(sender=ward, receiver=receiver, items=[item], tax_types=[tax])
    proposal = propose(business)
    assert proposal.data["regular_recipients"] == "国民健康保険団体連合会"
    assert proposal.data["record_items"] == "被保険者番号"
    assert proposal.data["record_scope"] == "介護保険料の納税義務者"
    # The item's record kind is 心身健康: the prompt comes from the flow too.
    assert proposal.prompts
