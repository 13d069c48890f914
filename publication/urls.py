from django.urls import path

from publication import views

app_name = "publication"

urlpatterns = [
    path("register/", views.public_register, name="register"),
    path("register/criteria/", views.public_criteria, name="criteria"),
    path("register/consignments/<int:pk>/", views.public_consignment, name="consignment"),
    path("register/linkages/<int:pk>/", views.public_linkage, name="linkage"),
    path("register/consignments/<int:pk>/form2.pdf", views.public_form2, name="form2_pdf"),
    path("register/linkages/<int:pk>/form5.pdf", views.public_form5, name="form5_pdf"),
    path("register/answers/<int:pk>/answer.pdf", views.public_answer, name="answer_pdf"),
    path("council/summary/", views.annual_summary, name="summary"),
]
