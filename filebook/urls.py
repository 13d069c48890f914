from django.urls import path

from filebook import views

app_name = "filebook"

urlpatterns = [
    path("", views.file_list, name="list"),
    path("new/", views.file_new, name="new"),
    path("<int:pk>/", views.file_detail, name="detail"),
    path("<int:pk>/edit/", views.file_edit, name="edit"),
    path("<int:pk>/submit/", views.file_submit, name="submit"),
    path("<int:pk>/amend/", views.file_amend, name="amend"),
    path("<int:pk>/filebook.pdf", views.file_pdf, name="filebook_pdf"),
]
