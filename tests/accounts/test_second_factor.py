"""The optional second factor (TOTP): once set up it is asked after the password on every
page, the admin included; administrators can require it for reviewers, clerks and
superusers; a stolen password alone cannot register another authenticator."""

import base64

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from registry import roles
from tests.factories import SectionFactory, user_with_role

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice, offset: int = 0) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{(value + offset) % 10**6:06d}"


@pytest.fixture
def reviewer():
    return user_with_role(roles.REVIEWER, username="shinsa1")


@pytest.fixture
def device(reviewer):
    return TOTPDevice.objects.create(user=reviewer, name="認証アプリ", confirmed=True)


def test_a_user_with_an_authenticator_must_enter_its_code(client, reviewer, device, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the throttle has its own test
    client.force_login(reviewer)
    for url in ["/", reverse("admin:index"), reverse("consignments:list")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:verify") + "?next=")
    wrong = client.post(reverse("accounts:verify"), {"token": _code(device, 1), "next": "/admin/"})
    assert "確認コードが正しくありません" in wrong.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302
    right = client.post(reverse("accounts:verify"), {"token": _code(device), "next": "/admin/"})
    assert right.status_code == 302 and right["Location"] == "/admin/"
    assert client.get(reverse("admin:index")).status_code == 200


def test_repeated_wrong_codes_are_throttled(client, reviewer, device):
    client.force_login(reviewer)
    for offset in range(1, 4):
        client.post(reverse("accounts:verify"), {"token": _code(device, offset)})
    # django-otp now refuses for a while, even the right code.
    response = client.post(reverse("accounts:verify"), {"token": _code(device)})
    assert "確認コードが正しくありません" in response.content.decode()
    assert client.get("/").status_code == 302


def test_a_password_alone_cannot_register_another_authenticator(client, reviewer, device):
    client.force_login(reviewer)
    response = client.get(reverse("accounts:setup"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:verify"))
    assert TOTPDevice.objects.filter(user=reviewer).count() == 1


def test_it_does_not_ask_users_without_one(client, settings):
    settings.TWO_FACTOR_REQUIRED = True
    staff = user_with_role(roles.SECTION_STAFF, SectionFactory())
    client.force_login(staff)
    assert client.get("/").status_code == 200


def test_when_required_a_reviewer_sets_one_up_before_anything_else(client, reviewer, settings):
    settings.TWO_FACTOR_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    client.force_login(reviewer)
    response = client.get(reverse("admin:index"))
    assert response["Location"].startswith(reverse("accounts:setup"))
    page = client.get(response["Location"])
    html = page.content.decode()
    qr = page.context["qr_src"]
    assert qr.startswith("data:image/svg+xml;base64,") and f'src="{qr}"' in html
    assert b"<svg" in base64.b64decode(qr.split(",", 1)[1])
    assert "審査担当・事務局・管理者は" in html
    device = TOTPDevice.objects.get(user=reviewer, confirmed=False)
    assert client.post(reverse("accounts:setup"), {"token": _code(device, 5)}).status_code == 200
    device.refresh_from_db()
    assert not device.confirmed
    done = client.post(reverse("accounts:setup"), {"token": _code(device), "next": "/admin/"})
    # The recovery codes, shown once, then on to where the user was going.
    assert len(done.context["codes"]) == 10
    assert 'href="/admin/"' in done.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_login_page_leads_to_the_code(client, reviewer, device):
    reviewer.set_password("kuminbu-shinsa-2026")
    reviewer.save()
    response = client.post(
        reverse("login"), {"username": "shinsa1", "password": "kuminbu-shinsa-2026"}, follow=True
    )
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:verify"))
    assert "確認コードの入力" in response.content.decode()
