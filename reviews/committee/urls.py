from django.urls import path

from reviews.committee import views

app_name = "committee"

urlpatterns = [
    path("", views.committee_index, name="index"),
    path("items/new/", views.item_new, name="item_new"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/decide/", views.item_decide, name="item_decide"),
    path("items/<int:pk>/agenda.pdf", views.item_pdf, name="item_pdf"),
    path("meetings/<int:pk>/packet.pdf", views.meeting_pdf, name="meeting_pdf"),
]
