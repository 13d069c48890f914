from django.contrib import admin

from exchange.admin import RegisterImportExportMixin
from linkages.models import Linkage, LinkageItem, LinkageMeasure, ProtectionMeasure
from linkages.resources import LinkageResource
from notation import wareki
from printing.admin import PrintButtonMixin, print_action
from registry import services
from registry.admin import AuditedAdmin, AutocompleteFilter
from reviews.workflow.admin import (
    ChecklistAdminMixin,
    ChecklistInline,
    RecordRowsInline,
    ReviewedRecordAdmin,
    ReviewQueueFilter,
)


class LinkageItemInline(RecordRowsInline):
    model = LinkageItem
    fields = ["direction", "position", "name"]


class LinkageMeasureInline(ChecklistInline):
    model = LinkageMeasure
    measure_model = ProtectionMeasure


@admin.register(ProtectionMeasure)
class ProtectionMeasureAdmin(AuditedAdmin):
    list_display = ["side", "kind", "order", "text", "is_active"]
    list_filter = ["side", "kind", "is_active"]
    search_fields = ["text"]

    def service_save(self, request, obj, form, change):
        data = self.form_data(form, change)
        if change:
            return services.checklist_measure_update(actor=request.user, measure=obj, data=data)
        return services.checklist_measure_create(
            actor=request.user, model=ProtectionMeasure, data=data
        )


@admin.register(Linkage)
class LinkageAdmin(
    ChecklistAdminMixin, PrintButtonMixin, RegisterImportExportMixin, ReviewedRecordAdmin
):
    # The review panel's template, which extends the print button's.
    change_form_template = ReviewedRecordAdmin.change_form_template
    resource_classes = [LinkageResource]
    print_kind = "form5"
    print_url_name = "linkages:form5_pdf"
    actions = [print_action("form5")]
    list_display = [
        "state_badge",
        "business_number",
        "business_name",
        "section_name",
        "partner",
        "linked_on_display",
        "linked_consultation",
        "line",
        "validity_display",
    ]
    list_display_links = ["business_number", "partner"]
    list_filter = [
        ReviewQueueFilter,
        "state",
        "business__section",
        ("business", AutocompleteFilter),
        "line",
        ("linked_consultation", AutocompleteFilter),
        ("partner", AutocompleteFilter),
    ]
    list_select_related = ["business__section", "partner", "linked_consultation"]
    search_fields = [
        "business__number",
        "business__name",
        "purpose",
        "partner__name",
        "items__name",
    ]
    autocomplete_fields = ["business", "partner"]
    inlines = [LinkageItemInline, LinkageMeasureInline]
    fieldsets = [
        (None, {"fields": ["business", "purpose"]}),
        (
            "結合年月日",
            {"fields": ["linked_on", "linked_consultation", "changed_on", "change_consultation"]},
        ),
        ("電算結合の相手方", {"fields": ["partner", "partner_role", "line"]}),
        ("個人情報の保護", {"fields": ["ward_measures", "partner_measures"]}),
        (None, {"fields": ["manager", "effective_from", "effective_until"]}),
        (
            "付議事項の別紙（電子計算機の外部結合関係）",
            {"fields": ["subject", "data_subjects", "partner_description", "connection", "period"]},
        ),
        ("情報保護対策チェックリスト", {"fields": ["checklist_status"]}),
    ]
    readonly_fields = ["checklist_status"]

    @admin.display(description="結合年月日", ordering="linked_on")
    def linked_on_display(self, linkage: Linkage) -> str:
        return wareki.format_month(linkage.linked_on)
