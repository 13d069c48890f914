from django.urls import path

from payments import views

app_name = "payments"

urlpatterns = [
    path("channels/", views.channel_list, name="channel_list"),
    path("channels/<int:pk>/", views.channel_detail, name="channel_detail"),
]
