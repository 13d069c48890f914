"""Error pages speak Japanese and say why: a refused page shows the reason the view gave
(the annual summary's 年次報告は審査担当・事務局のみ…), not a bare English "403 Forbidden"."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from registry import roles
from tests.factories import SectionFactory, user_with_role

pytestmark = pytest.mark.django_db


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
