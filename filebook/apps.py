from django.apps import AppConfig


class FilebookConfig(AppConfig):
    name = "filebook"
    verbose_name = "個人情報ファイル簿"
