"""The report page's print route and the reviewer's 事例への追加 button."""

import datetime as dt

import pytest
from django.urls import reverse

from registry import roles
from registry.models import Section
from reviews.models import CategoryExample, PreApprovalReport, ReportItem
from tests.factories import (
    PreApprovalCategoryFactory,
    PreApprovalReportFactory,
    ReportItemFactory,
    SectionFactory,
    user_with_role,
)
from tests.pdf_text import page_texts, squeeze


@pytest.mark.usefixtures("seed")
def test_the_print_link_returns_the_report_as_a_pdf(client):
    client.force_login(user_with_role(roles.SECTION_STAFF, Section.objects.get(name="収納課")))
    report = PreApprovalReport.objects.get()
    page = client.get(reverse("council:report_detail", args=[report.pk])).content.decode()
    url = reverse("council:report_pdf", args=[report.pk])
    assert f'href="{url}"' in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = squeeze("".join(page_texts(response.content)))
    assert "外部委託に関する審議会事前一括承認基準の適用について" in text
    assert "ペイジーによる納付" in text
    assert "電子マネーによる納付については、「電子マネーによる収納業務」を追加する。" in text


@pytest.mark.django_db
def test_another_sections_staff_cannot_print_the_report(client):
    report = PreApprovalReportFactory()
    client.force_login(user_with_role(roles.SECTION_STAFF, SectionFactory()))
    assert client.get(reverse("council:report_pdf", args=[report.pk])).status_code == 404


@pytest.fixture
def pending_item(db) -> ReportItem:
    category = PreApprovalCategoryFactory(number=17)
    return ReportItemFactory(
        category=category,
        name="電子マネーによる納付",
        fits_existing_example=False,
        new_example="電子マネーによる収納業務",
    )


def add_url(item: ReportItem) -> str:
    return reverse("council:report_add_example", args=[item.report_id, item.pk])


@pytest.mark.parametrize("role", [roles.REVIEWER, roles.CLERK])
def test_a_reviewer_adds_the_example_and_it_records_the_report_and_day(client, pending_item, role):
    client.force_login(user_with_role(role))
    response = client.post(
        add_url(pending_item), {f"item{pending_item.pk}-added_on": "令和8年4月1日"}
    )
    assert response.status_code == 302
    example = CategoryExample.objects.get(text="電子マネーによる収納業務")
    assert example.category == pending_item.category
    assert example.report == pending_item.report
    assert example.added_on == dt.date(2026, 4, 1)
    assert pending_item.added_example() == example
    page = client.get(response["Location"]).content.decode()
    assert "「電子マネーによる収納業務」を追加済み（令和8年4月1日）" in page


def test_the_example_is_not_added_twice(client, pending_item):
    client.force_login(user_with_role(roles.REVIEWER))
    data = {f"item{pending_item.pk}-added_on": "令和8年4月1日"}
    client.post(add_url(pending_item), data)
    response = client.post(add_url(pending_item), data, follow=True)
    assert "既に類型17の事例です" in response.content.decode()
    assert CategoryExample.objects.filter(text="電子マネーによる収納業務").count() == 1


@pytest.mark.parametrize("role", ["own_staff", "no_role"])
def test_section_staff_cannot_add_examples(client, pending_item, role):
    section = pending_item.report.section if role == "own_staff" else None
    user = user_with_role(roles.SECTION_STAFF if section else None, section)
    client.force_login(user)
    response = client.post(
        add_url(pending_item), {f"item{pending_item.pk}-added_on": "令和8年4月1日"}
    )
    assert response.status_code in (403, 404)
    assert response.status_code == (403 if section else 404)
    assert not CategoryExample.objects.exists()


def test_adding_an_example_needs_a_post_and_a_login(client, pending_item):
    assert client.post(add_url(pending_item))["Location"].startswith("/accounts/login/")
    client.force_login(user_with_role(roles.REVIEWER))
    assert client.get(add_url(pending_item)).status_code == 405
    assert not CategoryExample.objects.exists()


def test_an_item_fitting_an_existing_example_adds_nothing(client, pending_item):
    pending_item.fits_existing_example = True
    pending_item.new_example = ""
    pending_item.save()
    client.force_login(user_with_role(roles.REVIEWER))
    response = client.post(
        add_url(pending_item), {f"item{pending_item.pk}-added_on": "令和8年4月1日"}, follow=True
    )
    assert "この項目には追加する事例がありません。" in response.content.decode()
    assert not CategoryExample.objects.exists()
