from django.urls import path

from disclosure import views

app_name = "disclosure"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("figures/", views.figures, name="figures"),
    path("figures.xlsx", views.figures_xlsx, name="figures_xlsx"),
    path("new/", views.request_new, name="new"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/edit/", views.request_edit, name="edit"),
    path("<int:pk>/steps/<slug:step>/", views.request_step, name="step"),
    path("<int:pk>/extension.pdf", views.extension_notice, name="extension_pdf"),
    path("decisions/<int:pk>/notice.pdf", views.decision_notice, name="decision_pdf"),
]
