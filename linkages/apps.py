from django.apps import AppConfig


class LinkagesConfig(AppConfig):
    name = "linkages"
    verbose_name = "電算結合（第5号様式）"

    def ready(self) -> None:
        from linkages.pdf import FORM5
        from printing import kinds

        kinds.register(FORM5)
