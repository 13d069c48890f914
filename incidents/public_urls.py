from django.urls import path

from incidents import views

app_name = "incidents_public"

urlpatterns = [
    path("", views.public_list, name="list"),
    path("incidents.pdf", views.public_pdf, name="pdf"),
    path("incidents.xlsx", views.public_xlsx, name="xlsx"),
]
