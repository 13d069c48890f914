from django.urls import path

from linkages import views

app_name = "linkages"

urlpatterns = [
    path("", views.linkage_list, name="list"),
    path("new/", views.linkage_new, name="new"),
    path("import/", views.linkage_import, name="import"),
    path("import/<int:import_id>/", views.linkage_import_status, name="import_status"),
    path("<int:pk>/", views.linkage_detail, name="detail"),
    path("<int:pk>/edit/", views.linkage_edit, name="edit"),
    path("<int:pk>/submit/", views.linkage_submit, name="submit"),
    path("<int:pk>/amend/", views.linkage_amend, name="amend"),
    path("<int:pk>/form5.pdf", views.form5_pdf, name="form5_pdf"),
]
