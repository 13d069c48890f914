from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "個人情報保護 事務管理システム"
admin.site.site_title = "個人情報保護 事務管理"
admin.site.index_title = "記録の管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("consignments/", include("consignments.urls")),
    path("linkages/", include("linkages.urls")),
    path("printing/", include("printing.urls")),
    path("payments/", include("payments.urls")),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
