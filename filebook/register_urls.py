"""The public 個人情報ファイル簿 under /register/files/ (no login)."""

from django.urls import path

from filebook import views

app_name = "filebook_register"

urlpatterns = [
    path("", views.public_list, name="list"),
    path("filebook.xlsx", views.public_export, {"file_format": "xlsx"}, name="xlsx"),
    path("filebook.csv", views.public_export, {"file_format": "csv"}, name="csv"),
    path("<int:pk>/", views.public_detail, name="detail"),
    path("<int:pk>/filebook.pdf", views.public_pdf, name="pdf"),
]
