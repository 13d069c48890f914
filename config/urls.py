from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.views import LoginPage
from config import health, views
from disclosure import views as disclosure_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", LoginPage.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/keepalive/", views.keepalive, name="keepalive"),
    path("accounts/", include("accounts.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("consignments/", include("consignments.urls")),
    path("linkages/", include("linkages.urls")),
    path("processing/", include("processing.urls")),
    path("committee/", include("reviews.committee.urls")),
    path("printing/", include("printing.urls")),
    path("payments/", include("payments.urls")),
    path("organizations/", include("registry.urls")),
    path("reports/", include("reviews.council.urls")),
    path("filebook/", include("filebook.urls")),
    path("disclosure/", include("disclosure.urls")),
    path("register/files/", include("filebook.register_urls")),
    path("incidents/", include("incidents.urls")),
    path("register/incidents/", include("incidents.public_urls")),
    path("register/disclosure/", disclosure_views.public_guide, name="disclosure_guide"),
    path("", include("publication.urls")),
    path("", views.dashboard, name="dashboard"),
]
