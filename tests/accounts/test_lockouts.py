"""The 事務局's page of failed logins and locked (user name, address) pairs: who may open
it, what it lists, and 解除, which releases the pair and is written to the access log."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from accesslog.models import AccessEvent
from registry import roles
from tests.factories import SectionFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db

URL = reverse("accounts:lockouts")
PASSWORD = "correct-horse-2026"


@pytest.fixture
def clerk():
    return user_with_role(roles.CLERK, username="jimu1")


@pytest.fixture
def owner(django_user_model):
    return django_user_model.objects.create_user("shinsa1", password=PASSWORD)


def _fail(client, settings, address: str, times: int | None = None):
    for _ in range(times or settings.AXES_FAILURE_LIMIT):
        client.post(
            "/accounts/login/",
            {"username": "shinsa1", "password": "nope"},
            HTTP_X_FORWARDED_FOR=address,
        )


@pytest.fixture(autouse=True)
def one_proxy(settings):
    settings.TRUSTED_PROXIES = 1


def test_anonymous_users_are_sent_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", [roles.SECTION_STAFF, roles.REVIEWER])
def test_section_staff_and_reviewers_are_refused(client, role):
    client.force_login(user_with_role(role, SectionFactory()))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"attempt": "1"}).status_code == 403


def test_the_clerk_and_a_superuser_see_the_locked_pair_and_the_failures(
    client, clerk, owner, settings
):
    _fail(client, settings, "198.51.100.66")
    for user in (clerk, UserFactory(is_superuser=True, is_staff=True)):
        client.force_login(user)
        response = client.get(URL)
        assert response.status_code == 200
        page = response.content.decode()
        assert "shinsa1" in page and "198.51.100.66" in page
        assert "停止中" in page and "解除" in page
        assert "ログインの制限" in page  # the header's link to this page
        client.logout()


def test_release_lets_the_owner_in_from_that_address_and_is_logged(client, clerk, owner, settings):
    _fail(client, settings, "198.51.100.66")
    attempt = AccessAttempt.objects.get(username="shinsa1")
    client.force_login(clerk)
    response = client.post(URL, {"attempt": attempt.pk}, HTTP_X_FORWARDED_FOR="192.0.2.5")
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    event = AccessEvent.objects.get(action=AccessEvent.Action.UNLOCK)
    assert (event.user, event.address, event.record_ids) == (clerk, "192.0.2.5", [owner.pk])
    assert "username=shinsa1" in event.path and "198.51.100.66" in event.path
    # Pressed twice (two clerks at once): released and logged once.
    assert "既に解除" in client.post(URL, {"attempt": attempt.pk}, follow=True).content.decode()
    assert AccessEvent.objects.filter(action=AccessEvent.Action.UNLOCK).count() == 1
    client.logout()
    response = client.post(
        "/accounts/login/",
        {"username": "shinsa1", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.66",
    )
    assert response.status_code == 302


def test_a_bad_release_request_is_answered_not_a_500(client, clerk):
    client.force_login(clerk)
    response = client.post(URL, {"attempt": "<script>"}, follow=True)
    assert response.status_code == 200
    assert "既に解除" in response.content.decode()
