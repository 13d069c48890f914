"""Sessions end after SESSION_IDLE_MINUTES without a request, renewed at most once per
SESSION_RENEW_SECONDS (not written on every request), and at once by 「ログインを続ける」."""

import pytest
from django.contrib.sessions.models import Session

from accounts import middleware

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    now = [1_800_000_000.0]
    monkeypatch.setattr(middleware.time, "time", lambda: now[0])
    return now


def stored_expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_requests_within_a_minute_do_not_write_the_session(client, django_user_model, clock):
    client.force_login(django_user_model.objects.create_user("kanri", password="x-password-12"))
    client.get("/")
    first = stored_expiry(client)
    clock[0] += 59
    client.get("/")
    assert stored_expiry(client) == first
    clock[0] += 2  # the last renewal is now a minute old
    client.get("/")
    assert stored_expiry(client) > first


def test_the_page_counts_down_from_the_last_renewal(client, django_user_model, clock):
    client.force_login(django_user_model.objects.create_user("kanri", password="x-password-12"))
    assert 'data-session-seconds="1800"' in client.get("/").content.decode()
    clock[0] += 40
    page = client.get("/").content.decode()
    assert 'data-session-seconds="1760"' in page
    assert 'data-session-full-seconds="1800"' in page


def test_continuing_renews_at_once(client, django_user_model, clock):
    client.force_login(django_user_model.objects.create_user("kanri", password="x-password-12"))
    client.get("/")
    first = stored_expiry(client)
    clock[0] += 5
    assert client.post("/accounts/keepalive/").status_code == 204
    assert stored_expiry(client) > first
    assert 'data-session-seconds="1800"' in client.get("/").content.decode()


def test_a_visitor_without_a_session_gets_none(client):
    client.get("/register/")
    assert "sessionid" not in client.cookies
