from django.apps import AppConfig


class ConsignmentsConfig(AppConfig):
    name = "consignments"
    verbose_name = "外部委託（第2号様式）"

    def ready(self) -> None:
        from consignments.pdf import FORM2
        from printing import kinds

        kinds.register(FORM2)
