from django.urls import path

from reviews.council import views

app_name = "council"

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("new/", views.report_new, name="report_new"),
    path("suggest/", views.report_suggest, name="report_suggest"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path(
        "<int:pk>/items/<int:item_pk>/add-example/",
        views.report_add_example,
        name="report_add_example",
    ),
]
