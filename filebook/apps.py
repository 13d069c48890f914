from django.apps import AppConfig


class FilebookConfig(AppConfig):
    name = "filebook"
    verbose_name = "個人情報ファイル簿"

    def ready(self) -> None:
        from filebook.checks import check_files
        from filebook.pdf import FILEBOOK
        from payments.rules import register_rule
        from printing import kinds

        kinds.register(FILEBOOK)
        register_rule(check_files)
