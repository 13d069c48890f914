"""The data-flow diagrams on the staff pages, drawn by payments through reviews.figures:
under each item of a pre-approval report, on a Form 2 record (the flows its contractors
take part in) and on a Form 5 record (the linkage's flows); nothing when there are none."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from consignments.models import Consignment
from linkages.models import Linkage
from payments import diagrams
from payments.figures import NO_FLOW_WARNING
from registry import roles
from registry.models import Business, Organization
from reviews.models import PreApprovalReport
from reviews.workflow.states import State
from tests.factories import (
    AgendaItemFactory,
    ConsignmentFactory,
    FlowFactory,
    LinkageFactory,
    LinkageItemFactory,
    OrganizationFactory,
    PartyFactory,
    TaxTypeFactory,
    agenda_record,
    user_with_role,
)
from tests.pdf_text import page_texts, squeeze

pytestmark = pytest.mark.usefixtures("seed")


@pytest.fixture
def reviewer(client):
    client.force_login(user_with_role(roles.REVIEWER))
    return client


def figures(page: str) -> list[str]:
    return re.findall(r'<figure class="flow-figure">.*?</figure>', page, re.S)


def contractor_record(name: str) -> Consignment:
    """The seed's 0404-01 Form 2 record for the contractor."""
    return Consignment.objects.filter(business__number="0404-01").get(contractors__name=name)


def test_the_report_page_shows_each_items_channel_diagram_under_the_item(reviewer):
    report = PreApprovalReport.objects.get()
    page = reviewer.get(reverse("council:report_detail", args=[report.pk])).content.decode()
    drawn = figures(page)
    assert len(drawn) == 3
    assert "委託構成図（モバイルレジクレジットによる納付）" in drawn[0]
    assert "モバイルレジクレジットによる納付（平成31年4月1日現在）" in drawn[0]
    assert ">UCカード</text>" in drawn[0]
    assert "委託構成図（電子マネーによる納付）" in drawn[1]
    assert ">LINE Pay</text>" in drawn[1]
    assert "委託構成図（ペイジーによる納付）" in drawn[2]
    assert ">日本MPN運営機構</text>" in drawn[2]
    # Under the item, inside section ４, not after the report.
    section_4 = page.split("４　委託先および委託内容")[1].split("５　個人情報の保護")[0]
    assert all(figure in section_4 for figure in drawn)


def test_the_form2_page_shows_the_flows_its_contractors_take_part_in(reviewer):
    record = contractor_record("株式会社ジェーシービー")
    page = reviewer.get(reverse("consignments:detail", args=[record.pk])).content.decode()
    [drawn] = figures(page)
    assert "委託構成図（" in drawn
    for label in ["JCB", "UCカード", "練馬区", "納付に必要な情報", "収納金"]:
        assert f">{label}</text>" in drawn, label
    # LINE Pay is another record's contractor, and the payer does not deal with JCB.
    assert ">LINE Pay</text>" not in drawn
    assert ">納付者</text>" not in drawn

    line_pay = contractor_record("LINE Pay 株式会社")
    page = reviewer.get(reverse("consignments:detail", args=[line_pay.pk])).content.decode()
    [drawn] = figures(page)
    assert ">LINE Pay</text>" in drawn
    assert ">JCB</text>" not in drawn


def test_a_form2_record_whose_contractors_take_part_in_no_flow_shows_no_diagram(reviewer):
    business = Business.objects.get(number="0404-01")
    alone = ConsignmentFactory(business=business)
    alone.contractors.set([OrganizationFactory()])
    none = ConsignmentFactory(business=business)
    for record in (alone, none):
        page = reviewer.get(reverse("consignments:detail", args=[record.pk])).content.decode()
        assert "flow-figure" not in page
        assert "<svg" not in page


def test_a_form2_record_shows_only_its_own_business_flows(reviewer):
    """An organisation contracted for two businesses appears in each record with the
    flows of that record's business only."""
    contractor = OrganizationFactory(name="テスト収納株式会社")
    agent = PartyFactory(name="テスト収納", organization=contractor)
    other = TaxTypeFactory()
    FlowFactory(sender=agent, receiver=PartyFactory(name="別業務の相手"), tax_types=[other])
    record = ConsignmentFactory(business=other.business)
    record.contractors.set([contractor])
    seed_record = ConsignmentFactory(business=Business.objects.get(number="0404-01"))
    seed_record.contractors.set([contractor])
    page = reviewer.get(reverse("consignments:detail", args=[record.pk])).content.decode()
    assert ">別業務の相手</text>" in figures(page)[0]
    page = reviewer.get(reverse("consignments:detail", args=[seed_record.pk])).content.decode()
    assert figures(page) == []


def test_the_form5_page_shows_the_linkages_flows(reviewer):
    linkage = Linkage.objects.get(business__number="0404-01", partner__name__contains="データ")
    page = reviewer.get(reverse("linkages:detail", args=[linkage.pk])).content.decode()
    [drawn] = figures(page)
    assert "データの流れ（" in drawn
    for label in ["練馬区", "納付書情報", "納付結果情報", "［LGWAN］"]:
        assert f">{label}</text>" in drawn, label


def test_a_linkage_without_recorded_flows_shows_no_diagram(reviewer):
    linkage = LinkageFactory(partner=Organization.objects.get(name="地方税共同機構"))
    page = reviewer.get(reverse("linkages:detail", args=[linkage.pk])).content.decode()
    assert "flow-figure" not in page
    assert "<svg" not in page


def test_party_names_are_escaped_on_the_record_page(reviewer):
    contractor = OrganizationFactory()
    tax = TaxTypeFactory()
    FlowFactory(
        sender=PartyFactory(name='<script>alert("x")</script>', organization=contractor),
        receiver=PartyFactory(),
        label="<b>収納金</b>",
        tax_types=[tax],
    )
    record = ConsignmentFactory(business=tax.business)
    record.contractors.set([contractor])
    page = reviewer.get(reverse("consignments:detail", args=[record.pk])).content.decode()
    [drawn] = figures(page)
    assert '<script>alert("x")' not in page
    assert "<b>収納金" not in page
    assert "&lt;script&gt;" in drawn


def test_a_records_diagram_shows_its_last_day_once_abolished_and_its_first_before_it_starts():
    today = dt.date.today()
    abolished = ConsignmentFactory(
        effective_from=dt.date(2019, 4, 1), effective_until=dt.date(2019, 12, 31)
    )
    future = ConsignmentFactory(effective_from=today + dt.timedelta(days=30))
    assert diagrams.record_day(abolished) == dt.date(2019, 12, 31)
    assert diagrams.record_day(future) == today + dt.timedelta(days=30)


@pytest.fixture
def jnks_twin():
    """A new Form 5 on the seed's JNKS linkage's business and partner whose items no
    flow carries: the seed's JNKS flow is another record's data."""
    seed_record = Linkage.objects.get(partner__name="地方税共同機構")
    assert diagrams.linkage_flows(seed_record)
    twin = LinkageFactory(
        business=seed_record.business, partner=seed_record.partner, state=State.SUBMITTED
    )
    LinkageItemFactory(linkage=twin, direction="provided", name="住民票コード")
    LinkageItemFactory(linkage=twin, direction="received", name="照会結果<b>")
    return seed_record, twin


def test_a_linkage_no_flow_carries_is_drawn_from_its_items_with_a_warning(reviewer, jnks_twin):
    seed_record, twin = jnks_twin
    page = reviewer.get(reverse("linkages:detail", args=[twin.pk])).content.decode()
    [drawn] = figures(page)
    assert NO_FLOW_WARNING in drawn
    assert ">住民票コード</text>" in drawn and ">照会結果&lt;b&gt;</text>" in drawn
    for flow in diagrams.linkage_flows(seed_record):
        assert f">{flow.arrow_label}</text>" not in drawn
    # The seed record still draws its own flow.
    page = reviewer.get(reverse("linkages:detail", args=[seed_record.pk])).content.decode()
    assert NO_FLOW_WARNING not in page and len(figures(page)) == 1


def test_the_agenda_item_page_and_packet_draw_the_linkages_own_items(client, jnks_twin):
    seed_record, twin = jnks_twin
    item = AgendaItemFactory(section=twin.business.section, flow_number="10-1")
    agenda_record(item, twin)
    client.force_login(user_with_role(roles.REVIEWER))
    page = client.get(reverse("committee:item_detail", args=[item.pk])).content.decode()
    assert NO_FLOW_WARNING in page
    assert ">住民票コード</text>" in page
    labels = [flow.arrow_label for flow in diagrams.linkage_flows(seed_record)]
    assert not any(f">{label}</text>" in page for label in labels)
    pdf = client.get(reverse("committee:item_pdf", args=[item.pk]))
    text = "".join(
        squeeze(t)
        for t in page_texts(b"".join(pdf.streaming_content) if pdf.streaming else pdf.content)
    )
    assert squeeze(NO_FLOW_WARNING) in text
    assert "住民票コード" in text
