"""Changes to the shared registers (所管課, 業務, 相手方) go through audited services, and
the admin names the Form 2 / Form 5 records that cite the changed row."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from tablib import Dataset

from exchange.runs import error_messages
from registry import roles
from registry.models import Business, Organization, Section
from registry.resources import SectionResource
from registry.services import business_update, organization_update, section_update
from tests.factories import (
    BusinessFactory,
    ConsignmentFactory,
    LinkageFactory,
    OrganizationFactory,
    SectionFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


def change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


@pytest.fixture
def clerk():
    return user_with_role(roles.CLERK, last_name="事務", first_name="花子")


def test_a_renamed_organisation_is_recorded_with_who_renamed_it(clerk):
    organization = OrganizationFactory(name="株式会社旧名")
    organization_update(actor=clerk, organization=organization, data={"name": "株式会社新名"})
    history = list(organization.history.order_by("history_id"))
    assert [(h.name, h.history_user) for h in history][-1] == ("株式会社新名", clerk)


def test_section_staff_cannot_change_the_shared_registers():
    section = SectionFactory(name="収納課")
    staff = user_with_role(roles.SECTION_STAFF, section)
    business = BusinessFactory(section=section, name="旧業務名")
    organization = OrganizationFactory(name="株式会社旧名")
    with pytest.raises(PermissionDenied):
        organization_update(actor=staff, organization=organization, data={"name": "改名"})
    with pytest.raises(PermissionDenied):
        business_update(actor=staff, business=business, data={"name": "改名"})
    reviewer = user_with_role(roles.REVIEWER)
    with pytest.raises(PermissionDenied):
        section_update(actor=reviewer, section=section, data={"name": "改名"})
    assert Organization.objects.get().name == "株式会社旧名"
    assert Business.objects.get().name == "旧業務名"
    assert Section.objects.get().name == "収納課"


def test_the_organisation_page_lists_the_records_that_cite_it(client, clerk):
    organization = OrganizationFactory(name="株式会社エヌ・ティ・ティ・データ")
    form2 = ConsignmentFactory(contractor_type="収納代行事業者")
    form2.contractors.add(organization)
    form5 = LinkageFactory(partner=organization)
    ConsignmentFactory(contractor_type="他社の記録")  # cites another organisation
    client.force_login(clerk)
    page = client.get(change_url(organization)).content.decode()
    assert "記載している記録票（2件）" in page
    assert change_url(form2) in page and change_url(form5) in page
    assert "他社の記録" not in page


def test_saving_an_organisation_names_the_records_to_amend_and_records_the_change(client, clerk):
    organization = OrganizationFactory(name="株式会社旧名", address="東京都")
    form2 = ConsignmentFactory(contractor_type="収納代行事業者")
    form2.contractors.add(organization)
    client.force_login(clerk)
    response = client.post(
        change_url(organization),
        {"name": "株式会社新名", "address": "東京都", "note": ""},
        follow=True,
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert any("記載している記録票が1件" in m and str(form2) in m for m in messages)
    organization.refresh_from_db()
    assert organization.name == "株式会社新名"
    assert organization.history.latest().history_user == clerk
    history = client.get(
        reverse("admin:registry_organization_history", args=[organization.pk])
    ).content.decode()
    assert "名称" in history and "株式会社旧名" in history and "事務 花子" in history


def test_a_section_is_cited_through_its_businesses(client, clerk):
    section = SectionFactory(name="収納課")
    record = ConsignmentFactory(business=BusinessFactory(section=section))
    client.force_login(clerk)
    page = client.get(change_url(section)).content.decode()
    assert change_url(record) in page


def test_a_business_added_in_the_section_page_is_recorded(client, clerk):
    section = SectionFactory(department="区民部", name="収納課", manager_title="収納課長")
    client.force_login(clerk)
    response = client.post(
        change_url(section),
        {
            "department": "区民部",
            "name": "収納課",
            "manager_title": "収納課長",
            "businesses-TOTAL_FORMS": "1",
            "businesses-INITIAL_FORMS": "0",
            "businesses-0-number": "0404-09",
            "businesses-0-name": "新しい業務",
        },
    )
    assert response.status_code == 302
    business = Business.objects.get(number="0404-09")
    assert (business.section, business.history.get().history_user) == (section, clerk)


def test_a_reviewer_cannot_import_sections(clerk):
    reviewer = user_with_role(roles.REVIEWER)
    dataset = Dataset(headers=["部", "課", "個人情報保護管理責任者"])
    dataset.append(["区民部", "新設課", "新設課長"])
    result = SectionResource(user=reviewer).import_data(dataset)
    assert error_messages(result) == [
        "取り込む権限がないため、所管課を登録・変更できません。"
        "登録・変更の権限を持つ職員が管理画面から取り込んでください。"
    ]
    assert not Section.objects.filter(name="新設課").exists()

    dataset = Dataset(headers=["部", "課", "個人情報保護管理責任者"])
    dataset.append(["区民部", "新設課", "新設課長"])
    result = SectionResource(user=clerk).import_data(dataset)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Section.objects.get(name="新設課").history.get().history_user == clerk
