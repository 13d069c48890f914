"""Guessing one account from many addresses: django-axes' lockout is per (user name,
address), so the account is slowed per user name instead — a short wait after the last
failure, capped — without ever shutting its owner out."""

import pytest
from django.core.cache import cache

from accounts.throttle import login_wait_seconds

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-2026"


@pytest.fixture(autouse=True)
def setup(settings):
    settings.TRUSTED_PROXIES = 1
    settings.LOGIN_SLOWDOWN_AFTER = 3
    settings.LOGIN_SLOWDOWN_MAX_SECONDS = 8
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def owner(django_user_model):
    return django_user_model.objects.create_user("shinsa1", password=PASSWORD)


def _login(client, password: str, address: str, url: str = "/accounts/login/"):
    return client.post(
        url, {"username": "shinsa1", "password": password}, HTTP_X_FORWARDED_FOR=address
    )


def test_many_addresses_guessing_one_account_are_slowed(client, owner):
    for n in range(3):
        assert _login(client, "nope", f"198.51.100.{n}").status_code == 200
    # The next guess, from yet another address, waits — even with the right password.
    refused = _login(client, PASSWORD, "198.51.100.99")
    assert refused.status_code == 200
    assert "秒ほど待ってから" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_admin_login_is_slowed_too(client, owner):
    for n in range(3):
        _login(client, "nope", f"198.51.100.{n}", url="/admin/login/")
    refused = _login(client, PASSWORD, "198.51.100.99", url="/admin/login/")
    assert "秒ほど待ってから" in refused.content.decode()


def test_the_wait_is_short_and_capped(owner, settings):
    from accounts.throttle import login_failure_record

    for _ in range(3 + 20):
        login_failure_record("shinsa1", now=1000.0)
    assert 0 < login_wait_seconds("shinsa1", "198.51.100.99", now=1000.0) <= 8
    assert login_wait_seconds("shinsa1", "198.51.100.99", now=1009.0) == 0


def test_the_owner_at_an_address_she_used_before_is_not_slowed(client, owner):
    assert _login(client, PASSWORD, "192.0.2.10").status_code == 302
    client.logout()
    for n in range(5):
        _login(client, "nope", f"198.51.100.{n}")
    assert "秒ほど待ってから" in _login(client, PASSWORD, "198.51.100.99").content.decode()
    assert _login(client, PASSWORD, "192.0.2.10").status_code == 302


def test_a_few_typos_are_not_slowed(client, owner):
    _login(client, "nope", "192.0.2.10")
    _login(client, "nope", "192.0.2.10")
    assert _login(client, PASSWORD, "192.0.2.10").status_code == 302
