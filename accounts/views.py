import io
from base64 import b32encode, b64encode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import user_has_device
from django_otp.qr import write_qrcode_image

from accesslog.addresses import client_address
from accounts.forms import LoginForm
from accounts.lockouts import failures_recent, lockout_release, lockouts_current
from accounts.models import Authenticator
from accounts.services import second_factor_reset, totp_confirm, totp_start, totp_verify
from registry.access import is_clerk, must_use_second_factor


class TokenForm(forms.Form):
    token = forms.RegexField(
        label="確認コード（6桁）",
        regex=r"^\s*\d{6}\s*$",
        error_messages={
            "required": "認証アプリに表示されている6桁の数字を入力してください。",
            "invalid": "確認コードは6桁の数字です。",
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
        ),
    )


class VerifyForm(forms.Form):
    token = forms.RegexField(
        label="確認コード（6桁）または回復コード（8文字）",
        regex=r"^\s*(\d{6}|[A-Za-z2-7]{8})\s*$",
        error_messages={
            "required": "認証アプリに表示されている6桁の数字を入力してください。",
            "invalid": "確認コードは6桁の数字、回復コードは8文字の英数字です。",
        },
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "size": 10}),
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of the login: the code from the user's authenticator app."""
    if not user_has_device(request.user):
        return redirect("accounts:setup")
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if totp_verify(request=request, token=form.cleaned_data["token"]):
            return redirect(_next(request))
        form.add_error(
            "token",
            "確認コードが正しくありません。認証アプリの最新のコードを入力してください"
            f"（続けて誤ると、最長{settings.OTP_THROTTLE_MAX_SECONDS}秒、入力できなくなります）。",
        )
    return render(request, "accounts/verify.html", {"form": form, "next": _next(request)})


@never_cache
@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Set up (or replace) the authenticator: scan the QR code, then enter a code.
    Replacing one needs a session verified with the old one, so a stolen password alone
    cannot register the thief's authenticator."""
    if user_has_device(request.user) and not request.user.is_verified():
        return redirect(f"{reverse('accounts:verify')}?{urlencode({'next': _next(request)})}")
    form = TokenForm(request.POST or None)
    device = Authenticator.objects.filter(user=request.user, confirmed=False).first()
    if request.method == "POST" and device is not None and form.is_valid():
        codes = totp_confirm(request=request, device=device, token=form.cleaned_data["token"])
        if codes is not None:
            # Shown this once only: the page is never cached and the codes are not kept
            # readable anywhere.
            return render(
                request, "accounts/recovery_codes.html", {"codes": codes, "next": _next(request)}
            )
        form.add_error("token", "確認コードが正しくありません。QRコードを読み取り直してください。")
    if device is None or request.method == "GET":
        device = totp_start(user=request.user)
    svg = io.BytesIO()
    write_qrcode_image(device.config_url, svg)
    context = {
        "form": form,
        "next": _next(request),
        # An <img> of the library's SVG: its XML declaration and svg: prefixes are not
        # valid inside HTML, and the CSP allows data: images.
        "qr_src": "data:image/svg+xml;base64," + b64encode(svg.getvalue()).decode(),
        "secret": b32encode(device.bin_key).decode(),
        "required": must_use_second_factor(request.user),
        "has_device": user_has_device(request.user),
    }
    return render(request, "accounts/setup.html", context)


@never_cache
@login_required
def lockouts(request: HttpRequest) -> HttpResponse:
    """The 事務局's page of failed logins and locked accounts, with 解除."""
    if not is_clerk(request.user):
        raise PermissionDenied("この画面は事務局が使います。")
    if request.method == "POST":
        try:
            attempt_id = int(request.POST.get("attempt", ""))
        except ValueError:
            attempt_id = 0
        released = lockout_release(
            actor=request.user, attempt_id=attempt_id, address=client_address(request)
        )
        if released:
            messages.success(
                request,
                f"「{released.username}」（接続元 {released.ip_address}）のログイン制限を解除しました。",
            )
        else:
            messages.info(request, "その制限は既に解除されています。")
        return redirect("accounts:lockouts")
    context = {
        "attempts": lockouts_current(),
        "reset_form": ResetForm(),
        "failures": failures_recent(),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME * 60),
    }
    return render(request, "accounts/lockouts.html", context)


class ResetForm(forms.Form):
    username = forms.CharField(
        label="ユーザー名",
        max_length=150,
        error_messages={"required": "二段階認証を初期化するユーザー名を入力してください。"},
    )


@never_cache
@login_required
@require_POST
def second_factor_reset_view(request: HttpRequest) -> HttpResponse:
    """The 事務局 removes a user's authenticator and recovery codes (a lost phone)."""
    if not is_clerk(request.user):
        raise PermissionDenied("この操作は事務局が行います。")
    form = ResetForm(request.POST)
    if not form.is_valid():
        messages.error(request, "二段階認証を初期化するユーザー名を入力してください。")
        return redirect("accounts:lockouts")
    username = form.cleaned_data["username"]
    user = second_factor_reset(
        actor=request.user, username=username, address=client_address(request)
    )
    if user is None:
        messages.error(request, f"ユーザー「{username}」は登録されていません。")
    else:
        messages.success(
            request,
            f"「{username}」の二段階認証を初期化しました。次回のログインで設定し直します。",
        )
    return redirect("accounts:lockouts")


class LoginPage(LoginView):
    """The login page, with the per-account slow-down and, when the second factor is
    not required (the `make run` demo), a notice that says so."""

    authentication_form = LoginForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs, second_factor_off=not settings.TWO_FACTOR_REQUIRED
        )
