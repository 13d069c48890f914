from django_otp.plugins.otp_totp.models import TOTPDevice


class Authenticator(TOTPDevice):
    """A user's authenticator app (django-otp's TOTP device), under a Japanese name in the
    admin: the library names it "TOTP device" without a translation."""

    class Meta:
        proxy = True
        verbose_name = verbose_name_plural = "認証アプリ"
