from django.apps import AppConfig


class ProcessingConfig(AppConfig):
    name = "processing"
    verbose_name = "電算処理"

    def ready(self) -> None:
        from printing import kinds
        from processing.pdf import PROCESSING

        kinds.register(PROCESSING)
