from django.contrib import admin

from exchange.admin import RegisterImportExportMixin
from printing.admin import PrintButtonMixin, print_action
from processing.models import (
    Processing,
    ProcessingChange,
    ProcessingMeasure,
    ProcessingMeasureAnswer,
    ProcessingMilestone,
)
from processing.resources import ProcessingResource
from registry import services
from registry.admin import AuditedAdmin, AutocompleteFilter
from reviews.workflow.admin import (
    ChecklistAdminMixin,
    ChecklistInline,
    RecordRowsInline,
    ReviewedRecordAdmin,
    ReviewQueueFilter,
)


class ProcessingChangeInline(RecordRowsInline):
    model = ProcessingChange
    fields = ["position", "text"]


class ProcessingMilestoneInline(RecordRowsInline):
    model = ProcessingMilestone
    fields = ["position", "on", "planned", "label"]


class ProcessingMeasureInline(ChecklistInline):
    model = ProcessingMeasureAnswer
    measure_model = ProcessingMeasure


@admin.register(ProcessingMeasure)
class ProcessingMeasureAdmin(AuditedAdmin):
    list_display = ["side", "kind", "order", "text", "is_active"]
    list_filter = ["side", "kind", "is_active"]
    search_fields = ["text"]

    def service_save(self, request, obj, form, change):
        data = self.form_data(form, change)
        if change:
            return services.checklist_measure_update(actor=request.user, measure=obj, data=data)
        return services.checklist_measure_create(
            actor=request.user, model=ProcessingMeasure, data=data
        )


@admin.register(Processing)
class ProcessingAdmin(
    ChecklistAdminMixin, PrintButtonMixin, RegisterImportExportMixin, ReviewedRecordAdmin
):
    # The review panel's template, which extends the print button's.
    change_form_template = ReviewedRecordAdmin.change_form_template
    resource_classes = [ProcessingResource]
    print_kind = "processing"
    print_url_name = "processing:annex_pdf"
    actions = [print_action("processing")]
    list_display = [
        "state_badge",
        "business_number",
        "business_name",
        "section_name",
        "subject",
        "validity_display",
    ]
    list_display_links = ["business_number", "subject"]
    list_filter = [
        ReviewQueueFilter,
        "state",
        "business__section",
        ("business", AutocompleteFilter),
    ]
    list_select_related = ["business__section"]
    search_fields = ["business__number", "business__name", "subject", "reason", "computer"]
    autocomplete_fields = ["business"]
    inlines = [ProcessingChangeInline, ProcessingMilestoneInline, ProcessingMeasureInline]
    fieldsets = [
        (None, {"fields": ["business", "subject"]}),
        ("記録される情報項目", {"fields": ["data_subjects", "recorded_items", "computer"]}),
        ("新規開発・追加・変更", {"fields": ["reason", "changes_intro"]}),
        (None, {"fields": ["effective_from", "effective_until"]}),
        ("情報保護対策チェックリスト", {"fields": ["checklist_status"]}),
    ]
    readonly_fields = ["checklist_status"]
