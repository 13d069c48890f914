"""What an approved record shows is what was approved: renaming an organisation or a
business later changes drafts, never the PDF, the record page or the public register of
an approved (or superseded, or retired) version."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consignments.models import Consignment
from consignments.pdf import FORM2
from consignments.views import form2_sheet
from filebook.pdf import FILEBOOK
from filebook.views import file_sheet
from linkages.models import Linkage
from linkages.pdf import FORM5
from linkages.views import form5_sheet
from processing.pdf import PROCESSING
from processing.views import annex_sheet
from registry import roles
from reviews.workflow import services
from reviews.workflow.history import compare
from reviews.workflow.states import REGISTER_STATES, State
from tests.factories import (
    AnswerFactory,
    BusinessFactory,
    ConsignmentFactory,
    LinkageFactory,
    OrganizationFactory,
    PersonalInfoFileFactory,
    PreApprovalCategoryFactory,
    ProcessingFactory,
    SectionFactory,
    user_with_role,
)
from tests.pdf_text import page_texts, squeeze


@pytest.fixture
def reviewer(db):
    return user_with_role(roles.REVIEWER)


def rename(organization, name: str) -> None:
    organization.name = name
    organization.save()


def pdf_text(kind, record) -> str:
    return squeeze(
        page_texts(kind.render([type(record).objects.with_form_data().get(pk=record.pk)]).content)[
            0
        ]
    )


def test_a_rename_leaves_an_approved_record_as_approved(client, reviewer):
    contractor = OrganizationFactory(name="株式会社旧名称")
    section = SectionFactory()
    record = ConsignmentFactory(
        state=State.SUBMITTED, business=BusinessFactory(section=section, name="旧業務名")
    )
    record.contractors.set([contractor])
    draft = ConsignmentFactory(state=State.DRAFT, business=record.business)
    draft.contractors.set([contractor])
    services.record_approve(
        actor=reviewer, record=record, category=PreApprovalCategoryFactory(number=17)
    )

    rename(contractor, "株式会社新名称")
    record.business.name = "新業務名"
    record.business.save()

    assert "旧業務名" in pdf_text(FORM2, record)
    register = client.get(reverse("publication:register")).content.decode()
    assert "株式会社旧名称" in register and "株式会社新名称" not in register
    assert "旧業務名" in register and "新業務名" not in register

    staff = user_with_role(roles.SECTION_STAFF, section)
    client.force_login(staff)
    page = client.get(reverse("consignments:detail", args=[record.pk])).content.decode()
    assert "株式会社旧名称" in page and "株式会社新名称" not in page
    # A draft shows live data.
    draft_page = client.get(reverse("consignments:detail", args=[draft.pk])).content.decode()
    assert "株式会社新名称" in draft_page and "新業務名" in draft_page
    assert "新業務名" in pdf_text(FORM2, draft)


def test_a_rename_leaves_an_approved_linkage_as_approved(client, reviewer):
    partner = OrganizationFactory(name="株式会社旧結合先", address="東京都江東区豊洲3-3-3")
    linkage = LinkageFactory(state=State.SUBMITTED, partner=partner)
    draft = LinkageFactory(state=State.DRAFT, partner=partner)
    services.record_approve(actor=reviewer, record=linkage, answer=AnswerFactory())
    partner.name, partner.address = "株式会社新結合先", "東京都港区1-1-1"
    partner.save()

    text = pdf_text(FORM5, linkage)
    assert "株式会社旧結合先" in text and "豊洲３－３－３" in text
    assert "株式会社新結合先" in pdf_text(FORM5, draft)
    register = client.get(reverse("publication:register")).content.decode()
    assert "株式会社旧結合先" in register and "株式会社新結合先" not in register
    client.force_login(user_with_role(roles.SECTION_STAFF, linkage.business.section))
    page = client.get(reverse("linkages:detail", args=[linkage.pk])).content.decode()
    assert "株式会社旧結合先" in page and "東京都江東区豊洲3-3-3" in page
    assert "株式会社新結合先" not in page


def test_a_record_loaded_without_content_keeps_what_it_showed_when_first_read(client, db):
    """Seed records load approved through loaddata, without approved content: the fill
    after loading keeps what they showed then."""
    contractor = OrganizationFactory(name="株式会社初期登録")
    record = ConsignmentFactory(state=State.APPROVED)
    record.contractors.set([contractor])
    assert record.approved_content is None

    assert services.records_fill_approved_content(model=Consignment) == 1
    rename(contractor, "株式会社改名後")
    record.refresh_from_db()
    assert record.approved_content["contractors"][0]["name"] == "株式会社初期登録"
    assert "株式会社初期登録" in client.get(reverse("publication:register")).content.decode()


@pytest.mark.parametrize(
    "factory, read",
    [
        (ConsignmentFactory, lambda r: (form2_sheet(r), pdf_text(FORM2, r))),
        (LinkageFactory, lambda r: (form5_sheet(r), pdf_text(FORM5, r))),
        (ProcessingFactory, lambda r: (annex_sheet(r), PROCESSING.render([r]))),
        (PersonalInfoFileFactory, lambda r: (file_sheet(r), FILEBOOK.render([r]))),
    ],
    ids=["form2", "form5", "processing", "filebook"],
)
def test_reading_a_record_loaded_without_content_writes_nothing(db, factory, read):
    """Reads never write: a register record loaded without approved content (loaddata)
    shows live data on its page and PDF until records_fill_approved_content takes it."""
    record = factory(state=State.APPROVED)
    assert record.approved_content is None
    record = type(record).objects.with_form_data().get(pk=record.pk)

    with CaptureQueriesContext(connection) as queries:
        read(record)

    # A rendered PDF is kept (printing.StoredPDF, a cache of files); no record is written.
    statements = [q["sql"] for q in queries]
    assert [
        sql
        for sql in statements
        if sql.startswith(("INSERT", "UPDATE", "DELETE")) and "printing_storedpdf" not in sql
    ] == []
    record.refresh_from_db()
    assert record.approved_content is None


def test_the_public_pages_show_live_data_until_the_content_is_taken(client, db):
    contractor = OrganizationFactory(name="株式会社初期登録")
    record = ConsignmentFactory(state=State.APPROVED)
    record.contractors.set([contractor])
    client.get(reverse("publication:register"))
    record.refresh_from_db()
    assert record.approved_content is None
    rename(contractor, "株式会社改名後")
    assert "株式会社改名後" in client.get(reverse("publication:register")).content.decode()


def test_every_seed_record_keeps_exactly_what_it_prints(seed):
    """Stored and read back (JSON), the approved content equals the live one for every
    seed record, so taking it changes nothing a reader sees."""
    services.records_fill_approved_content(model=Consignment)
    services.records_fill_approved_content(model=Linkage)
    for model in (Consignment, Linkage):
        for record in model.objects.filter(state__in=REGISTER_STATES):
            assert record.approved_content == record.printed_content(), record


def test_a_superseded_version_keeps_its_content(reviewer):
    contractor = OrganizationFactory(name="株式会社旧版")
    section = SectionFactory()
    old = ConsignmentFactory(business=BusinessFactory(section=section), state=State.APPROVED)
    old.contractors.set([contractor])
    staff = user_with_role(roles.SECTION_STAFF, section)
    amendment = services.record_amend(actor=staff, record=old)
    amendment.effective_from = dt.date(2025, 4, 1)
    amendment.save()
    amendment.state = State.SUBMITTED
    amendment.save()
    services.record_approve(
        actor=reviewer, record=amendment, category=PreApprovalCategoryFactory(number=17)
    )
    rename(contractor, "株式会社新版")
    old.refresh_from_db()
    assert old.state == State.AMENDED
    assert old.approved_content["contractors"][0]["name"] == "株式会社旧版"
    assert form2_sheet(old)["contractors"] == [
        {"name": "株式会社旧版", "address": contractor.address}
    ]


def test_the_amendment_comparison_shows_the_approved_version_as_approved(reviewer):
    contractor = OrganizationFactory(name="株式会社比較前")
    section = SectionFactory()
    old = ConsignmentFactory(business=BusinessFactory(section=section), state=State.SUBMITTED)
    old.contractors.set([contractor])
    services.record_approve(
        actor=reviewer, record=old, category=PreApprovalCategoryFactory(number=17)
    )
    rename(contractor, "株式会社比較後")
    staff = user_with_role(roles.SECTION_STAFF, section)
    amendment = services.record_amend(actor=staff, record=services._locked(old))
    rows = {row.label: row for row in compare(amendment.amends, amendment)}
    assert (rows["委託先"].old, rows["委託先"].new) == ("株式会社比較前", "株式会社比較後")
