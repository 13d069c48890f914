from django.urls import path

from printing import views

app_name = "printing"

urlpatterns = [
    path("jobs/<uuid:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<uuid:pk>/file.pdf", views.job_file, name="job_file"),
    path("jobs/<uuid:pk>/retry/", views.job_retry, name="job_retry"),
]
