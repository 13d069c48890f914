from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = "所管課・業務・相手方"

    def ready(self) -> None:
        from registry import changes
        from registry.roles import sync_roles

        changes.connect()

        # Permissions only exist once every app has migrated, hence post_migrate.
        post_migrate.connect(sync_roles, dispatch_uid="registry.sync_roles")
