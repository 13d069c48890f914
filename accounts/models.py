from django.conf import settings
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice


class CappedThrottleMixin:
    """django-otp doubles the wait after each wrong code without end (twelve wrong codes
    shut the owner out for 34 minutes); here the wait stops growing at
    OTP_THROTTLE_MAX_SECONDS, so a guesser still gets one try in that time and the owner
    is never kept out for longer."""

    def verify_is_allowed(self):
        if self.throttling_failure_count and self.throttling_failure_timestamp:
            waited = (timezone.now() - self.throttling_failure_timestamp).total_seconds()
            if waited >= settings.OTP_THROTTLE_MAX_SECONDS:
                return True, None
        return super().verify_is_allowed()


class Authenticator(CappedThrottleMixin, TOTPDevice):
    """A user's authenticator app (django-otp's TOTP device), under a Japanese name in the
    admin: the library names it "TOTP device" without a translation."""

    class Meta:
        proxy = True
        verbose_name = verbose_name_plural = "認証アプリ"


class RecoveryCodes(CappedThrottleMixin, StaticDevice):
    """Single-use codes for a lost phone (django-otp's static device), given once when
    the authenticator is set up."""

    class Meta:
        proxy = True
        verbose_name = verbose_name_plural = "回復コード"
