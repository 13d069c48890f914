"""The second factor: a TOTP authenticator app (django-otp) with single-use recovery
codes. A user who has one confirmed must enter its six-digit code (or a recovery code)
after the password; when TWO_FACTOR_REQUIRED is on, reviewers, clerks and superusers
must set one up. The 事務局 resets a user's second factor when the phone is lost."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticToken

from accesslog.models import AccessEvent
from accesslog.services import access_record_by
from accounts.models import Authenticator, RecoveryCodes
from registry.access import is_clerk, must_use_second_factor

DEVICE_NAME = "認証アプリ"
RECOVERY_NAME = "回復コード"
RECOVERY_CODES = 10


def has_second_factor(user) -> bool:
    """Whether the user has a confirmed authenticator; the signed-in user comes with the
    answer (accounts.backends), any other user is asked here."""
    known = getattr(user, "confirmed_device", None)
    return user_has_device(user) if known is None else known


def second_factor_pending(user) -> bool:
    """Signed in with the password, but the second factor is still owed."""
    if not user.is_authenticated or user.is_verified():
        return False
    return has_second_factor(user) or must_use_second_factor(user)


def totp_start(*, user) -> Authenticator:
    """A new, unconfirmed authenticator for the user (an earlier unconfirmed one is
    discarded, so the QR code shown is always the one that will count)."""
    Authenticator.objects.filter(user=user, confirmed=False).delete()
    return Authenticator.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def totp_confirm(*, request: HttpRequest, device: Authenticator, token: str) -> list[str] | None:
    """Confirm the authenticator with a code it shows; the session counts as verified.
    Returns the new recovery codes (any earlier ones stop working), to be shown once;
    None when the code was wrong."""
    if not device.verify_token(token.strip()):
        return None
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        Authenticator.objects.filter(user=device.user, confirmed=True).exclude(
            pk=device.pk
        ).delete()
        RecoveryCodes.objects.filter(user=device.user).delete()
        recovery = RecoveryCodes.objects.create(user=device.user, name=RECOVERY_NAME)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=recovery, token=c) for c in codes)
    otp_login(request, device)
    return codes


def totp_verify(*, request: HttpRequest, token: str) -> bool:
    """Check a code against the user's authenticator, or a recovery code (each works
    once), throttled after failures, and mark the session verified."""
    token = token.strip().lower()
    devices = [
        *Authenticator.objects.filter(user=request.user, confirmed=True),
        *RecoveryCodes.objects.filter(user=request.user, confirmed=True),
    ]
    for device in devices:
        if device.verify_token(token):
            otp_login(request, device)
            return True
    return False


def second_factor_reset(*, actor, username: str, address: str | None):
    """Remove a user's authenticator and recovery codes (a lost phone): at the next
    login the user sets up a new one. Only the 事務局; written to the access log."""
    if not is_clerk(actor):
        raise PermissionDenied("二段階認証を初期化できるのは事務局です。")
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        return None
    with transaction.atomic():
        Authenticator.objects.filter(user=user).delete()
        RecoveryCodes.objects.filter(user=user).delete()
        access_record_by(
            user=actor,
            action=AccessEvent.Action.SECOND_FACTOR_RESET,
            model=get_user_model(),
            ids=[user.pk],
            path=f"{reverse('accounts:lockouts')}?{urlencode({'username': username})}",
            address=address,
        )
    return user
