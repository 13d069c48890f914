"""One client address gets PUBLIC_DOWNLOADS_PER_MINUTE public downloads a minute; the
next is refused with a Japanese page and Retry-After, other addresses and the staff
pages are unaffected, and the next minute it may download again."""

import pytest

from publication import middleware

pytestmark = pytest.mark.django_db


@pytest.fixture
def limit(settings):
    settings.PUBLIC_DOWNLOADS_PER_MINUTE = 3
    return 3


def test_an_address_is_refused_past_the_limit(client, limit, monkeypatch):
    now = [1_800_000_000.0]
    monkeypatch.setattr(middleware.time, "time", lambda: now[0])
    url = "/register/files/filebook.csv"
    assert [client.get(url).status_code for _ in range(limit)] == [200] * limit
    refused = client.get(url)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "1分ほどしてから" in refused.content.decode()
    # Another address, and pages that are not downloads, are served.
    assert client.get(url, REMOTE_ADDR="192.0.2.7").status_code == 200
    assert client.get("/register/").status_code == 200
    now[0] += 60
    assert client.get(url).status_code == 200


def test_behind_the_proxy_the_forwarded_address_counts(client, limit, settings):
    settings.TRUSTED_PROXIES = 1
    url = "/register/files/filebook.csv"
    for _ in range(limit):
        client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    assert client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200


def test_a_forged_header_does_not_dodge_the_limit(client, limit, settings):
    """A client writing a new X-Forwarded-For each time is still the address the proxy
    appended after it."""
    settings.TRUSTED_PROXIES = 1
    url = "/register/files/filebook.csv"
    statuses = [
        client.get(url, HTTP_X_FORWARDED_FOR=f"10.6.6.{n}, 198.51.100.1").status_code
        for n in range(limit + 3)
    ]
    assert statuses == [200] * limit + [429] * 3


def test_without_a_trusted_proxy_the_header_counts_for_nothing(client, limit):
    url = "/register/files/filebook.csv"
    statuses = [
        client.get(url, HTTP_X_FORWARDED_FOR=f"10.6.6.{n}").status_code for n in range(limit + 1)
    ]
    assert statuses[-1] == 429
