from django.urls import path

from registry import views

app_name = "registry"

urlpatterns = [
    path("new/", views.organization_new, name="organization_new"),
]
