"""/consignments/<pk>/form2.pdf and /linkages/<pk>/form5.pdf: the PDF for those allowed
to see the record, a login redirect for anonymous users, 404 for everyone else."""

from urllib.parse import quote, unquote

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from registry import roles
from registry.models import Section
from tests.factories import StaffMemberFactory, UserFactory
from tests.pdf_text import page_texts

pytestmark = pytest.mark.usefixtures("seed")

URLS = [
    ("consignments:form2_pdf", 2, "form2_0404-01_2.pdf", "クレジットカード事業者"),
    ("linkages:form5_pdf", 2, "form5_0404-02_2.pdf", "軽自動車税に関する業務"),
]
# The name a browser offers (RFC 6266 filename*, UTF-8), beside the ASCII fallback.
JAPANESE = {
    "form2_0404-01_2.pdf": "外部委託記録票（第2号様式）_0404-01_2.pdf",
    "form5_0404-02_2.pdf": "電算結合記録票（第5号様式）_0404-02_2.pdf",
}


def in_group(name: str):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=name))
    return user


@pytest.fixture
def own_section_staff():
    return StaffMemberFactory(section=Section.objects.get(name="収納課")).user


@pytest.fixture
def other_section_staff():
    return StaffMemberFactory().user


@pytest.mark.parametrize(("name", "pk", "filename", "expected"), URLS)
@pytest.mark.parametrize("who", ["superuser", "reviewer", "clerk", "own_section_staff"])
def test_it_returns_the_pdf_inline_to_those_allowed(
    client, request, who, name, pk, filename, expected
):
    user = {
        "superuser": lambda: UserFactory(is_superuser=True, is_staff=True),
        "reviewer": lambda: in_group(roles.REVIEWER),
        "clerk": lambda: in_group(roles.CLERK),
        "own_section_staff": lambda: request.getfixturevalue("own_section_staff"),
    }[who]()
    client.force_login(user)
    response = client.get(reverse(name, args=[pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f"inline; filename=\"{filename}\"; filename*=UTF-8''{quote(JAPANESE[filename])}"
    )
    assert unquote(response["Content-Disposition"].split("UTF-8''")[1]) == JAPANESE[filename]
    assert expected in page_texts(response.content)[0]


@pytest.mark.parametrize(("name", "pk", "filename", "expected"), URLS)
def test_it_sends_anonymous_users_to_the_login(client, name, pk, filename, expected):
    url = reverse(name, args=[pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(("name", "pk", "filename", "expected"), URLS)
@pytest.mark.parametrize("who", ["other_section_staff", "no_role"])
def test_it_hides_the_record_from_everyone_else(client, request, who, name, pk, filename, expected):
    user = request.getfixturevalue(who) if who != "no_role" else UserFactory()
    client.force_login(user)
    assert client.get(reverse(name, args=[pk])).status_code == 404


def test_it_answers_404_for_a_record_that_does_not_exist(client):
    client.force_login(UserFactory(is_superuser=True))
    assert client.get(reverse("consignments:form2_pdf", args=[999])).status_code == 404
