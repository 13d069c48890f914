from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig


class AccountsConfig(AppConfig):
    # The module holds the libraries' configs too; this one is the app's own.
    default = True
    name = "accounts"
    verbose_name = "ログイン"


# django-axes under a Japanese name in the admin ("Axes" otherwise).
class AxesConfig(AxesAppConfig):
    verbose_name = "ログインの制限（django-axes）"
