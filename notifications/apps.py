from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "通知"

    def ready(self) -> None:
        from notifications.tasks import enqueue_transition_notices
        from reviews.workflow.events import on_transition

        on_transition(enqueue_transition_notices)
