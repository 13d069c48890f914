"""The second factor wherever DEBUG is off: required of reviewers, clerks and superusers
by default, recovery codes shown once at set-up, a wrong-code wait that stops growing,
and a reset by the 事務局 written to the access log."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp

from accesslog.models import AccessEvent
from accounts.models import Authenticator, RecoveryCodes
from registry import roles
from tests.factories import SectionFactory, UserFactory, user_with_role
from tests.fresh_settings import settings_printed

pytestmark = pytest.mark.django_db


def _code(device, offset: int = 0) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{(value + offset) % 10**6:06d}"


def _setting_with(**env) -> str:
    """TWO_FACTOR_REQUIRED as config/settings.py reads it from this environment."""
    return settings_printed(
        "settings.TWO_FACTOR_REQUIRED", unset=("DEBUG", "TWO_FACTOR_REQUIRED"), **env
    )


def test_it_is_required_whenever_debug_is_off():
    assert _setting_with() == "True"
    assert _setting_with(DEBUG="0") == "True"
    assert _setting_with(DEBUG="1") == "False"
    assert _setting_with(DEBUG="0", TWO_FACTOR_REQUIRED="0") == "False"


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


@pytest.mark.parametrize("role", [roles.REVIEWER, roles.CLERK, "superuser"])
def test_reviewers_clerks_and_superusers_reach_the_admin_only_with_it(client, required, role):
    if role == "superuser":
        user = UserFactory(is_superuser=True, is_staff=True)
    else:
        user = user_with_role(role)
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:setup"))


def test_the_login_page_says_when_it_is_off(client, settings):
    settings.TWO_FACTOR_REQUIRED = False
    assert "二段階認証を求めない設定" in client.get(reverse("login")).content.decode()
    settings.TWO_FACTOR_REQUIRED = True
    assert "二段階認証を求めない設定" not in client.get(reverse("login")).content.decode()


def test_recovery_codes_are_shown_once_and_each_works_once(client, required):
    reviewer = user_with_role(roles.REVIEWER, username="shinsa1")
    client.force_login(reviewer)
    client.get(reverse("accounts:setup"))
    device = Authenticator.objects.get(user=reviewer, confirmed=False)
    done = client.post(reverse("accounts:setup"), {"token": _code(device), "next": "/admin/"})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    page = done.content.decode()
    assert all(code in page for code in codes)
    assert "二度と表示されません" in page
    # Not on the set-up page or anywhere else afterwards.
    assert codes[0] not in client.get(reverse("accounts:setup")).content.decode()

    client.logout()
    client.force_login(reviewer)
    verify = reverse("accounts:verify")
    assert client.post(verify, {"token": codes[0].upper(), "next": "/admin/"})["Location"] == (
        "/admin/"
    )
    assert client.get(reverse("admin:index")).status_code == 200
    client.logout()
    client.force_login(reviewer)
    again = client.post(verify, {"token": codes[0], "next": "/admin/"})
    assert "確認コードが正しくありません" in again.content.decode()
    assert RecoveryCodes.objects.get(user=reviewer).token_set.count() == 9


def test_the_wrong_code_wait_stops_growing(client, settings):
    settings.OTP_THROTTLE_MAX_SECONDS = 120
    reviewer = user_with_role(roles.REVIEWER, username="shinsa1")
    device = Authenticator.objects.create(user=reviewer, name="認証アプリ", confirmed=True)
    client.force_login(reviewer)
    verify = reverse("accounts:verify")
    for _ in range(12):
        Authenticator.objects.filter(pk=device.pk).update(
            throttling_failure_timestamp=timezone.now() - dt.timedelta(hours=2)
        )
        client.post(verify, {"token": _code(device, 1)})
    device.refresh_from_db()
    assert device.throttling_failure_count == 12  # django-otp alone: 2,048 s to wait
    response = client.post(verify, {"token": _code(device), "next": "/"})
    assert "確認コードが正しくありません" in response.content.decode()
    assert "最長120秒" in response.content.decode()
    Authenticator.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - dt.timedelta(seconds=121)
    )
    assert client.post(verify, {"token": _code(device), "next": "/"})["Location"] == "/"


RESET = reverse("accounts:second_factor_reset")


def test_only_the_clerk_resets_a_second_factor(client):
    owner = user_with_role(roles.REVIEWER, username="shinsa1")
    Authenticator.objects.create(user=owner, name="認証アプリ", confirmed=True)
    anonymous = client.post(RESET, {"username": "shinsa1"})
    assert anonymous["Location"].startswith("/accounts/login/")
    client.force_login(user_with_role(roles.SECTION_STAFF, SectionFactory()))
    assert client.post(RESET, {"username": "shinsa1"}).status_code == 403
    assert Authenticator.objects.filter(user=owner).exists()


def test_the_clerk_s_reset_removes_it_and_is_logged(client):
    owner = user_with_role(roles.REVIEWER, username="shinsa1")
    Authenticator.objects.create(user=owner, name="認証アプリ", confirmed=True)
    RecoveryCodes.objects.create(user=owner, name="回復コード")
    clerk = user_with_role(roles.CLERK, username="jimu1")
    client.force_login(clerk)
    response = client.post(RESET, {"username": "shinsa1"}, follow=True)
    assert "「shinsa1」の二段階認証を初期化しました" in response.content.decode()
    assert not Authenticator.objects.filter(user=owner).exists()
    assert not RecoveryCodes.objects.filter(user=owner).exists()
    event = AccessEvent.objects.get(action=AccessEvent.Action.SECOND_FACTOR_RESET)
    assert (event.user, event.record_ids) == (clerk, [owner.pk])
    unknown = client.post(RESET, {"username": "<b>dare</b>"}, follow=True).content.decode()
    assert "「&lt;b&gt;dare&lt;/b&gt;」は登録されていません" in unknown
    assert AccessEvent.objects.filter(action=AccessEvent.Action.SECOND_FACTOR_RESET).count() == 1
