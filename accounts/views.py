import io
from base64 import b32encode, b64encode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

from accesslog.addresses import client_address
from accounts.lockouts import failures_recent, lockout_release, lockouts_current
from accounts.services import totp_confirm, totp_start, totp_verify
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
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if totp_verify(request=request, token=form.cleaned_data["token"]):
            return redirect(_next(request))
        form.add_error(
            "token",
            "確認コードが正しくありません。認証アプリの最新のコードを入力してください"
            "（続けて誤ると、しばらく入力できなくなります）。",
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
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if request.method == "POST" and device is not None and form.is_valid():
        if totp_confirm(request=request, device=device, token=form.cleaned_data["token"]):
            messages.success(request, "二段階認証を設定しました。次回から確認コードを入力します。")
            return redirect(_next(request))
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
        "failures": failures_recent(),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME * 60),
    }
    return render(request, "accounts/lockouts.html", context)
