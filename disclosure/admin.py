"""The admin of 開示請求等, for the 事務局: registering and correcting a request goes
through the services; the later steps (sections, 補正, decisions, notices) are taken on
the staff pages, which the change page links to. Only requests the user may see are
listed (reviewers see none: they hold no permission on them)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from disclosure import services
from disclosure.models import AskedSection, Correction, Decision, DisclosureRequest, Purge
from printing.admin import ReadOnlyAdminMixin
from registry.admin import AuditedAdmin


class AskedInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = AskedSection
    fields = ["section", "asked_on", "what"]
    extra = 0


class CorrectionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Correction
    fields = ["asked_on", "what", "answered_on"]
    extra = 0


@admin.register(DisclosureRequest)
class DisclosureRequestAdmin(AuditedAdmin):
    list_display = ["reference", "kind", "received_on", "status", "deadline_display"]
    list_filter = ["kind", "status", "fiscal_year"]
    readonly_fields = ["reference", "status", "staff_page"]
    inlines = [AskedInline, CorrectionInline]
    # Searching by the requester's name would put it in URLs and logs; search by number.
    search_fields = ["=number"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .visible_to(request.user)
            .prefetch_related("corrections", "asked__decisions")
        )

    def service_save(self, request, obj, form, change):
        data = self.form_data(form, change)
        if change:
            return services.request_update(actor=request.user, request=obj, data=data)
        return services.request_receive(actor=request.user, data=data)

    @admin.display(description="受付番号")
    def reference(self, obj: DisclosureRequest) -> str:
        return obj.reference

    @admin.display(description="期限")
    def deadline_display(self, obj: DisclosureRequest):
        return obj.deadline

    @admin.display(description="処理の画面")
    def staff_page(self, obj: DisclosureRequest):
        if not obj.pk:
            return "—"
        url = reverse("disclosure:detail", args=[obj.pk])
        return format_html('<a href="{}">決定・通知・実施の記録へ</a>', url)


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "asked", "implemented_on"]

    def get_queryset(self, request):
        requests = DisclosureRequest.objects.visible_to(request.user)
        return super().get_queryset(request).filter(asked__request__in=requests)


@admin.register(Purge)
class PurgeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["purged_at", "fiscal_year", "kind", "requests", "decisions"]
