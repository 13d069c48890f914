from django.apps import AppConfig


class LinkagesConfig(AppConfig):
    name = "linkages"
    verbose_name = "電算結合（第5号様式）"
