from django.contrib import admin

from accounts.forms import AdminLoginForm


class RegisterAdminSite(admin.AdminSite):
    """The admin is for reviewers, clerks and administrators; section staff work in the
    staff pages even if someone ticks their 'staff status' by mistake."""

    site_header = "個人情報保護 事務管理システム"
    site_title = "個人情報保護 事務管理"
    index_title = "記録の管理"
    login_form = AdminLoginForm

    def has_permission(self, request) -> bool:
        from registry.access import may_use_admin

        return may_use_admin(request.user)
