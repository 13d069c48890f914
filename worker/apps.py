from django.apps import AppConfig
from django_tasks_db.apps import TasksAppConfig


class WorkerConfig(AppConfig):
    # The module holds the task backend's config too; this one is the app's own.
    default = True
    name = "worker"
    verbose_name = "タスクワーカー"


# django-tasks' database backend under a Japanese name in the admin ("Tasks Database
# Backend" otherwise); its fields and statuses are translated in locale/ja.
class TaskResultsConfig(TasksAppConfig):
    verbose_name = "タスクの実行記録"
