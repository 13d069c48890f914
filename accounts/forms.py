"""The login forms of the staff pages and the admin, with the per-account slow-down
(accounts.throttle) in front of the password check."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from accesslog.addresses import client_address
from accounts.throttle import login_failure_record, login_wait_seconds


class ThrottledLoginMixin:
    def clean(self):
        username = self.data.get("username", "")
        if username:
            wait = login_wait_seconds(username, client_address(self.request))
            if wait:
                raise forms.ValidationError(
                    "このユーザー名には短い時間に多くの誤ったパスワードが入力されました。"
                    f"{wait}秒ほど待ってから、もう一度お試しください。",
                    code="slowed",
                )
        try:
            return super().clean()
        except forms.ValidationError as error:
            if username and error.code == "invalid_login":
                login_failure_record(username)
            raise


class LoginForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass
