from django.contrib.admin.apps import AdminConfig


class RegisterAdminConfig(AdminConfig):
    """The admin, and config's own entry in INSTALLED_APPS: its ready() also fills every
    extension point (config.wiring), once all apps' models are loaded."""

    default_site = "config.admin.RegisterAdminSite"

    def ready(self) -> None:
        from config import wiring

        wiring.connect()
        super().ready()
