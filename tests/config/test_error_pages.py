"""Error pages speak Japanese and say why: a refused page shows the reason the view gave
(the annual summary's 年次報告は審査担当・事務局のみ…), not a bare English "403 Forbidden"."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from registry import roles
from tests.factories import SectionFactory, user_with_role

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_a_refused_page_shows_the_reason_in_japanese(client):
    client.force_login(user_with_role(roles.SECTION_STAFF, SectionFactory()))
    response = client.get(reverse("publication:summary"))
    html = response.content.decode()
    assert response.status_code == 403
    assert "このページを表示する権限がありません" in html
    assert "年次報告は審査担当・事務局のみ閲覧できます。" in html
    assert "Forbidden" not in html


def test_a_missing_page_says_so_in_japanese(client):
    response = client.get("/consignments/999999/")
    assert response.status_code in (302, 404)
    client.force_login(user_with_role(roles.SECTION_STAFF, SectionFactory()))
    response = client.get("/consignments/999999/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "ページが見つかりません" in html and "/consignments/999999/" in html
    assert "Not Found" not in html


def test_a_server_error_page_is_japanese():
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "システムでエラーが発生しました" in html and "Server Error" not in html


def test_a_stale_form_is_refused_in_japanese():
    client = Client(enforce_csrf_checks=True)
    client.force_login(user_with_role(roles.SECTION_STAFF, SectionFactory()))
    response = client.post(reverse("consignments:new"), {})
    html = response.content.decode()
    assert response.status_code == 403
    assert "送信できませんでした" in html and "CSRF" not in html


SCRIPT = """
import django
django.setup()
from django.conf import settings
from django.test import Client
response = Client().get("/no-such-page/")
print(settings.DEBUG, response.status_code)
print(response.content.decode())
"""


def _make_run_404(**extra: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DEBUG_TECHNICAL_PAGES"}}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": "sqlite:///:memory:",
    } | extra
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_make_run_serves_the_products_japanese_404_page():
    out = _make_run_404()
    assert out.startswith("False 404")
    assert "ページが見つかりません" in out and "/no-such-page/" in out
    assert "Page not found" not in out and "URLconf" not in out


def test_djangos_technical_page_only_when_asked_for():
    out = _make_run_404(DEBUG_TECHNICAL_PAGES="1")
    assert out.startswith("True 404")
    assert "Page not found" in out
