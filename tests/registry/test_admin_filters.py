"""The record changelists filter by 業務, 相手方, 諮問 and 類型 with a search box
(registry.admin.AutocompleteFilter): the page names only the chosen value, never every
row of those tables, and the box is answered by the admin's autocomplete view."""

import pytest
from django.urls import reverse

from consignments.models import Consignment
from linkages.models import Linkage
from registry import roles
from tests.factories import (
    BusinessFactory,
    ConsignmentFactory,
    ConsultationFactory,
    LinkageFactory,
    OrganizationFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:consignments_consignment_changelist")


@pytest.fixture
def reviewer_client(client):
    client.force_login(user_with_role(roles.REVIEWER))
    return client


def test_the_page_lists_no_business_but_the_chosen_one(reviewer_client):
    chosen = BusinessFactory(name="選んだ業務")
    ConsignmentFactory(business=chosen, contractor_type="選んだ委託")
    ConsignmentFactory(contractor_type="ほかの委託")
    BusinessFactory(name="記録票のない業務")

    page = reviewer_client.get(CHANGELIST).content.decode()
    assert "記録票のない業務" not in page
    assert 'data-field-name="business"' in page  # the search box instead

    page = reviewer_client.get(CHANGELIST, {"business__id__exact": chosen.pk}).content.decode()
    assert "選んだ委託" in page and "ほかの委託" not in page
    assert '<li class="selected">\n    <a href="?business__id__exact=' in page
    assert "記録票のない業務" not in page


def test_a_linkage_list_names_no_partner_or_consultation_it_was_not_asked_for(reviewer_client):
    LinkageFactory()
    OrganizationFactory(name="結合していない団体")
    ConsultationFactory(number=987)

    page = reviewer_client.get(reverse("admin:linkages_linkage_changelist")).content.decode()
    assert "結合していない団体" not in page
    assert "諮問第987号" not in page
    assert 'data-field-name="partner"' in page
    assert 'data-field-name="linked_consultation"' in page


@pytest.mark.parametrize(
    ("model", "field", "factory"),
    [
        (Consignment, "business", lambda: BusinessFactory(name="検索される業務")),
        (Consignment, "consultations", lambda: ConsultationFactory(subject="検索される諮問")),
        (Linkage, "partner", lambda: OrganizationFactory(name="検索される団体")),
    ],
)
def test_the_search_box_finds_a_row_for_a_reviewer(reviewer_client, model, field, factory):
    wanted = factory()
    answer = reviewer_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "検索される",
            "app_label": model._meta.app_label,
            "model_name": model._meta.model_name,
            "field_name": field,
        },
    )
    assert answer.status_code == 200
    assert [r["id"] for r in answer.json()["results"]] == [str(wanted.pk)]


def test_the_box_leads_to_the_list_filtered_by_the_value_keeping_the_others(reviewer_client):
    page = reviewer_client.get(CHANGELIST, {"state__exact": "draft"}).content.decode()
    assert 'data-filter-url="?business__id__exact=__value__&amp;state__exact=draft"' in page


@pytest.mark.parametrize("value", ["abc", "999999"])
def test_a_bad_or_unknown_value_is_no_error(reviewer_client, value):
    response = reviewer_client.get(CHANGELIST, {"business__id__exact": value})
    assert response.status_code in (200, 302)
