"""The login-throttling (django-axes) and second-factor (django-otp) pages of the admin
in Japanese: the libraries ship no Japanese (axes is translated in locale/, otp's
untranslatable admin is replaced by 認証アプリ)."""

import pytest
from axes.models import AccessLog
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_admin_index_names_the_library_apps_in_japanese(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert "ログインの制限（django-axes）" in html and "認証アプリ" in html
    for english in ("Axes", "Otp_Totp", "TOTP device", "Access attempts", "Access logs"):
        assert english not in html


def test_the_login_log_is_japanese(admin_client):
    log = AccessLog.objects.create(
        username="shuno", ip_address="192.0.2.1", user_agent="test", path_info="/accounts/login/"
    )
    for url in (
        reverse("admin:axes_accesslog_changelist"),
        reverse("admin:axes_accesslog_change", args=[log.pk]),
    ):
        html = admin_client.get(url).content.decode()
        assert "ログインの記録" in html and "接続元" in html
        for english in ("IP Address", "Attempt Time", "access log", "Meta Data"):
            assert english not in html


def test_authenticators_are_listed_in_japanese_and_can_be_removed(admin_client):
    user = UserFactory(username="lost-phone", last_name="収納", first_name="花子")
    device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    assert admin_client.get("/admin/otp_totp/totpdevice/").status_code == 404
    html = admin_client.get(reverse("admin:accounts_authenticator_changelist")).content.decode()
    assert "収納 花子（lost-phone）" in html and "最後に使った日時" in html
    html = admin_client.get(
        reverse("admin:accounts_authenticator_change", args=[device.pk])
    ).content.decode()
    assert "まだ使われていません" in html and "The user that this device" not in html
    assert "Identity" not in html and "Throttling" not in html
    admin_client.post(
        reverse("admin:accounts_authenticator_delete", args=[device.pk]), {"post": "yes"}
    )
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
