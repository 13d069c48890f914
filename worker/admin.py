"""The task results (django-tasks' database backend) in Japanese: the library's admin,
with the columns and descriptions it writes in English named, and times in the era."""

from django.contrib import admin
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from notation.admin_eras import era_column, era_text

admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    list_display = (
        "id_display",
        "task_display",
        "status",
        era_column("enqueued_at", "受付日時"),
        era_column("started_at", "開始日時"),
        era_column("finished_at", "終了日時"),
        "priority",
        "queue_name",
    )

    @admin.display(description="ID", ordering="id")
    def id_display(self, result: DBTaskResult) -> str:
        return str(result.id)

    @admin.display(description="タスク", ordering="task_path")
    def task_display(self, result: DBTaskResult) -> str:
        return result.task_name

    @admin.display(description="トレースバック")
    def formatted_traceback(self, result: DBTaskResult) -> str:
        return super().formatted_traceback(result)

    @admin.display(description="実行予定日時")
    def display_run_after(self, result: DBTaskResult) -> str:
        shown = super().display_run_after(result)
        return shown if isinstance(shown, str) else era_text(shown)
