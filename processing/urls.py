from django.urls import path

from processing import views

app_name = "processing"

urlpatterns = [
    path("", views.processing_list, name="list"),
    path("new/", views.processing_new, name="new"),
    path("import/", views.processing_import, name="import"),
    path("import/<int:import_id>/", views.processing_import_status, name="import_status"),
    path("<int:pk>/", views.processing_detail, name="detail"),
    path("<int:pk>/edit/", views.processing_edit, name="edit"),
    path("<int:pk>/submit/", views.processing_submit, name="submit"),
    path("<int:pk>/amend/", views.processing_amend, name="amend"),
    path("<int:pk>/annex.pdf", views.annex_pdf, name="annex_pdf"),
]
