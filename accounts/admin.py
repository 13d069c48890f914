"""認証アプリ in the admin: who has set up the second factor, when it was last used, and
removing one whose phone was lost (the user then sets up a new one from 二段階認証).
Replaces django-otp's own admin, whose labels and help are English only."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Authenticator
from notation.admin_eras import era_column, era_text
from notation.people import person_name

admin.site.unregister(TOTPDevice)
# Recovery codes are shown once at set-up and reset with the authenticator; their
# English library admin would only show the codes to whoever opens it.
admin.site.unregister(StaticDevice)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    list_display = [
        "user_display",
        "name_display",
        era_column("created_at", "登録日時"),
        era_column("last_used_at", "最後に使った日時"),
        "confirmed_display",
    ]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__last_name", "user__first_name"]
    search_help_text = "ユーザー名または氏名で検索します。"
    fields = [
        "user_display",
        "name_display",
        "created_at_display",
        "last_used_at_display",
        "confirmed_display",
        "failures_display",
    ]
    readonly_fields = fields

    # Authenticators are added by their users (二段階認証), never typed in here.
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="職員", ordering="user__username")
    def user_display(self, device: Authenticator) -> str:
        # The login name too: it is what the person types, and what a reset is asked by.
        name = person_name(device.user)
        username = device.user.get_username()
        return name if name == username else f"{name}（{username}）"

    @admin.display(description="アプリの名前", ordering="name")
    def name_display(self, device: Authenticator) -> str:
        return device.name

    @admin.display(description="登録日時")
    def created_at_display(self, device: Authenticator) -> str:
        return era_text(device.created_at) if device.created_at else ""

    @admin.display(description="最後に使った日時")
    def last_used_at_display(self, device: Authenticator) -> str:
        return era_text(device.last_used_at) if device.last_used_at else "まだ使われていません"

    @admin.display(description="設定の完了", boolean=True)
    def confirmed_display(self, device: Authenticator) -> bool:
        return device.confirmed

    @admin.display(description="続けて誤った回数")
    def failures_display(self, device: Authenticator) -> int:
        return device.throttling_failure_count


admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LoginFailuresAdmin(AccessAttemptAdmin):
    """django-axes' own, with its status column named (its header is "Status" otherwise;
    the text in it is translated in locale/ja)."""

    @admin.display(description="状態")
    def status(self, obj: AccessAttempt) -> str:
        return super().status(obj)
