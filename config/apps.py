from django.contrib.admin.apps import AdminConfig


class RegisterAdminConfig(AdminConfig):
    default_site = "config.admin.RegisterAdminSite"
