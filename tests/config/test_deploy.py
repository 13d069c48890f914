"""Production settings pass Django's deployment checks, and the security settings take
effect in responses."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from worker.models import Heartbeat

ROOT = Path(__file__).resolve().parents[2]


def _production_env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE is no production setting either.
        if key
        not in {
            "DEBUG",
            "SECURE_SSL_REDIRECT",
            "SESSION_COOKIE_SECURE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env |= {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "privacy.example.lg.jp",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "sqlite:///:memory:"),
    }
    return env | extra


def test_it_passes_check_deploy_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_fails_check_deploy_when_hsts_is_switched_off():
    # The check above can fail: with HSTS off the same command reports a warning.
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(SECURE_HSTS_SECONDS="0"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr


def test_it_redirects_plain_http_and_sends_hsts(client, settings, db):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/register/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    # Behind the proxy (X-Forwarded-Proto: https) the page is served with HSTS.
    response = client.get("/register/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert "max-age=31536000" in response["Strict-Transport-Security"]


def test_it_serves_the_health_check_over_plain_http(client, settings, db):
    settings.SECURE_SSL_REDIRECT = True
    now = timezone.now()
    Heartbeat.objects.create(worker_id="w", hostname="h", pid=1, started_at=now, last_seen=now)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "worker": "ok"}


def test_it_ends_idle_sessions_and_warns_before(client, django_user_model):
    user = django_user_model.objects.create_user("kanri", password="unused-password-1")
    client.force_login(user)
    response = client.get("/")
    # Every request renews the session for SESSION_IDLE_MINUTES (30 by default); the
    # cookie itself ends with the browser.
    assert settings.SESSION_IDLE_MINUTES == 30
    assert client.session.get_expiry_age() == 30 * 60
    first_expiry = client.session.get_expiry_date()
    assert response.cookies["sessionid"]["max-age"] == ""
    page = response.content.decode()
    # Seconds left as the page was drawn: a slow request may cross a second boundary.
    seconds = int(re.search(r'data-session-seconds="(\d+)"', page).group(1))
    assert 1800 - 5 <= seconds <= 1800
    assert 'id="session-warning"' in page
    assert "js/session.js" in page
    renewed = client.post("/accounts/keepalive/")
    assert renewed.status_code == 204
    assert client.session.get_expiry_date() > first_expiry


def test_it_shows_no_session_warning_to_visitors(client, db):
    assert 'id="session-warning"' not in client.get("/register/").content.decode()
