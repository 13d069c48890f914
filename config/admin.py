import hashlib
from functools import partial

from django.contrib import admin
from django.core.cache import cache
from django.template.defaultfilters import urlencode
from django.utils.translation import get_language

from accounts.forms import AdminLoginForm

# The app list changes only with the code and the user's rights, both in its key; the
# limit bounds how long a process keeps the list of a user who no longer comes.
APP_LIST_SECONDS = 600


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

    @staticmethod
    def _rights(request) -> str:
        """Everything the admins' permission checks read of the user, once per request
        (the sidebar's list and its key both ask)."""
        if not hasattr(request, "_admin_rights"):
            user = request.user
            rights = [user.pk, user.is_active, user.is_staff, user.is_superuser]
            rights += sorted(user.get_all_permissions())
            digest = hashlib.sha256("\x1f".join(map(str, rights)).encode()).hexdigest()
            request._admin_rights = digest
        return request._admin_rights

    def get_app_list(self, request, app_label=None):
        """Every admin page's sidebar lists what the user may open, asking each admin for
        its four permissions (a fair part of a page's work): kept per user and rights."""
        build = partial(self._app_list, request, app_label)
        key = f"admin-apps:{app_label}:{get_language()}:{self._rights(request)}"
        return cache.get_or_set(key, build, APP_LIST_SECONDS)

    def _app_list(self, request, app_label):
        apps = super().get_app_list(request, app_label)
        # The names in the language of the key, as text: a lazy one does not pickle.
        for app in apps:
            app["name"] = str(app["name"])
            for model in app["models"]:
                model["name"] = str(model["name"])
        return apps

    def each_context(self, request):
        context = super().each_context(request)
        # The sidebar (admin/base_site.html keeps it) shows the user's list and marks the
        # app and the model the page belongs to (admin/app_list.html): its key.
        path = urlencode(request.path)
        current = [
            url
            for app in context["available_apps"]
            for url in (app["app_url"], *(model["admin_url"] for model in app["models"]))
            if url and url in path
        ]
        context["nav_sidebar_key"] = f"{self._rights(request)}:{' '.join(current)}"
        return context
