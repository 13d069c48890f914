from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("two-factor/", views.setup, name="setup"),
    path("lockouts/", views.lockouts, name="lockouts"),
    path(
        "lockouts/second-factor/",
        views.second_factor_reset_view,
        name="second_factor_reset",
    ),
]
