from django.urls import path

from linkages import views

app_name = "linkages"

urlpatterns = [
    path("<int:pk>/form5.pdf", views.form5_pdf, name="form5_pdf"),
]
