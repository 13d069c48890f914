from django.urls import path

from consignments import views

app_name = "consignments"

urlpatterns = [
    path("<int:pk>/form2.pdf", views.form2_pdf, name="form2_pdf"),
]
