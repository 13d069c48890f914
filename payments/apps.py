from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = "公金収納・データの流れ"

    def ready(self) -> None:
        from payments import figures
        from reviews.figures import (
            register_record_figures,
            register_records_figures,
            register_report_item_figures,
        )

        register_report_item_figures(figures.report_item_figures)
        register_record_figures(figures.record_figures)
        register_records_figures(figures.records_figures)
