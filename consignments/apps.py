from django.apps import AppConfig


class ConsignmentsConfig(AppConfig):
    name = "consignments"
    verbose_name = "外部委託（第2号様式）"
