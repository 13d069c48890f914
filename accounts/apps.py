from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig


class AccountsConfig(AppConfig):
    # The module holds the libraries' configs too; this one is the app's own.
    default = True
    name = "accounts"
    verbose_name = "ログイン"

    def ready(self):
        from django.contrib.auth import get_user_model

        from notation.people import person_name

        # Django's User names itself by its login name, and every admin column, filter,
        # read-only field, autocomplete and history view (simple-history's included)
        # shows a person through str(): there it is the name, as on every other page.
        get_user_model().__str__ = person_name


# django-axes under a Japanese name in the admin ("Axes" otherwise).
class AxesConfig(AxesAppConfig):
    verbose_name = "ログインの制限（django-axes）"
