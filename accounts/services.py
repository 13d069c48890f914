"""The optional second factor: a TOTP authenticator app (django-otp). A user who has
one confirmed must enter its six-digit code after the password; when
TWO_FACTOR_REQUIRED is on, reviewers, clerks and superusers must set one up."""

from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from registry.access import must_use_second_factor

DEVICE_NAME = "認証アプリ"


def second_factor_pending(user) -> bool:
    """Signed in with the password, but the second factor is still owed."""
    if not user.is_authenticated or user.is_verified():
        return False
    return user_has_device(user) or must_use_second_factor(user)


def totp_start(*, user) -> TOTPDevice:
    """A new, unconfirmed authenticator for the user (an earlier unconfirmed one is
    discarded, so the QR code shown is always the one that will count)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def totp_confirm(*, request: HttpRequest, device: TOTPDevice, token: str) -> bool:
    """Confirm the authenticator with a code it shows; the session counts as verified."""
    if not device.verify_token(token.strip()):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    otp_login(request, device)
    return True


def totp_verify(*, request: HttpRequest, token: str) -> bool:
    """Check a code against the user's confirmed authenticator (throttled by
    django-otp after failures) and mark the session verified."""
    for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
        if device.verify_token(token.strip()):
            otp_login(request, device)
            return True
    return False
