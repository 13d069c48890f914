from django.urls import path

from consignments import views

app_name = "consignments"

urlpatterns = [
    path("", views.consignment_list, name="list"),
    path("new/", views.consignment_new, name="new"),
    path("import/", views.consignment_import, name="import"),
    path("import/<int:import_id>/", views.consignment_import_status, name="import_status"),
    path("<int:pk>/", views.consignment_detail, name="detail"),
    path("<int:pk>/edit/", views.consignment_edit, name="edit"),
    path("<int:pk>/submit/", views.consignment_submit, name="submit"),
    path("<int:pk>/amend/", views.consignment_amend, name="amend"),
    path("<int:pk>/form2.pdf", views.form2_pdf, name="form2_pdf"),
]
