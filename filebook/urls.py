from django.urls import path

from filebook import views

app_name = "filebook"

urlpatterns = [
    path("", views.file_list, name="list"),
    path("new/", views.file_new, name="new"),
    path("import/", views.file_import, name="import"),
    path("import/<int:import_id>/", views.file_import_status, name="import_status"),
    path("<int:pk>/", views.file_detail, name="detail"),
    path("<int:pk>/edit/", views.file_edit, name="edit"),
    path("<int:pk>/submit/", views.file_submit, name="submit"),
    path("<int:pk>/amend/", views.file_amend, name="amend"),
    path("<int:pk>/filebook.pdf", views.file_pdf, name="filebook_pdf"),
]
