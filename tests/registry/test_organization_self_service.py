"""Section staff add a new organisation (委託先 / 結合の相手方) while filing a record, with a
warning when a similar name is registered; changing one stays with reviewers and clerks."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from registry import roles, services
from registry.models import Organization
from tests.factories import OrganizationFactory, SectionFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db

URL = reverse("registry:organization_new")


@pytest.fixture
def staff():
    return user_with_role(roles.SECTION_STAFF, SectionFactory())


def test_it_redirects_anonymous_users_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_refuses_a_user_without_a_role(client):
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 403
    with pytest.raises(PermissionDenied):
        services.organization_create(actor=UserFactory(), data={"name": "株式会社誰でも"})


def test_section_staff_add_an_organisation_with_its_history(client, staff):
    client.force_login(staff)
    response = client.post(
        URL,
        {
            "name": "株式会社新しい委託先",
            "address": "東京都練馬区豊玉北6-12-1",
            "note": "",
            "next": "/consignments/new/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/consignments/new/"
    created = Organization.objects.get(name="株式会社新しい委託先")
    assert created.history.get().history_user == staff


def test_a_similar_name_is_pointed_out_and_needs_a_confirmation(client, staff):
    OrganizationFactory(name="株式会社 練馬データサービス", address="東京都練馬区1-1")
    client.force_login(staff)
    data = {"name": "（株）練馬データサービス", "address": "東京都練馬区2-2", "note": ""}

    response = client.post(URL, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "似た名称の相手方が登録されています" in page
    assert "株式会社 練馬データサービス" in page
    # the confirmation is a labelled checkbox, its error linked to it
    assert '<label for="id_confirm_similar">' in page
    assert 'id="id_confirm_similar_error"' in page
    assert not Organization.objects.filter(name="（株）練馬データサービス").exists()

    response = client.post(URL, data | {"confirm_similar": "on"})
    assert response.status_code == 302
    assert Organization.objects.filter(name="（株）練馬データサービス").exists()


def test_the_same_name_and_address_twice_is_refused_in_japanese(client, staff):
    OrganizationFactory(name="株式会社重複", address="東京都練馬区1-1")
    client.force_login(staff)
    response = client.post(
        URL, {"name": "株式会社重複", "address": "東京都練馬区1-1", "confirm_similar": "on"}
    )
    assert (
        "「株式会社重複」（東京都練馬区1-1）は既に登録されています。" in response.content.decode()
    )
    assert Organization.objects.filter(name="株式会社重複").count() == 1


def test_an_outside_next_address_is_not_followed(client, staff):
    client.force_login(staff)
    response = client.post(URL, {"name": "株式会社外部", "next": "https://example.com/"})
    assert response["Location"] == URL


def test_section_staff_still_cannot_change_an_organisation(staff):
    organization = OrganizationFactory(name="株式会社変更不可")
    with pytest.raises(PermissionDenied):
        services.organization_update(
            actor=staff, organization=organization, data={"name": "株式会社変更後"}
        )


@pytest.mark.parametrize(
    ("registered", "typed", "similar"),
    [
        ("株式会社ＡＢＣ", "ABC株式会社", True),
        ("日本郵便株式会社", "日本郵便", True),
        ("株式会社ゆうちょ銀行", "株式会社みずほ銀行", False),
        ("LINE Pay株式会社", "ＬＩＮＥ　ＰＡＹ", True),
    ],
)
def test_similar_names_ignore_width_blanks_and_the_legal_form(registered, typed, similar):
    OrganizationFactory(name=registered)
    assert bool(Organization.objects.similar_to(typed)) is similar


def test_the_record_forms_link_to_the_organisation_page(client, staff):
    from tests.factories import BusinessFactory

    BusinessFactory(section=staff.staff_member.section)
    client.force_login(staff)
    for url in (reverse("consignments:new"), reverse("linkages:new")):
        assert URL in client.get(url).content.decode()


def test_a_record_form_reposted_after_adding_lists_the_new_organisation(client, staff):
    client.force_login(staff)
    services.organization_create(actor=staff, data={"name": "株式会社あとから追加"})
    assert "株式会社あとから追加" in client.get(reverse("consignments:new")).content.decode()


def test_it_refuses_an_organisation_without_a_name(staff):
    with pytest.raises(ValidationError):
        services.organization_create(actor=staff, data={"name": ""})
