from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join

from printing.admin import PrintButtonMixin, print_action
from processing.models import (
    Processing,
    ProcessingChange,
    ProcessingMeasure,
    ProcessingMeasureAnswer,
    ProcessingMilestone,
)
from registry import services
from registry.admin import AuditedAdmin
from reviews.workflow.admin import ReviewedRecordAdmin, ReviewQueueFilter
from reviews.workflow.states import may_edit


class _RecordRowsInline(admin.TabularInline):
    """Rows that are part of the record: editable exactly when the record is."""

    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return obj is None or may_edit(request.user, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None or may_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return obj is None or may_edit(request.user, obj)


class ProcessingChangeInline(_RecordRowsInline):
    model = ProcessingChange
    fields = ["position", "text"]


class ProcessingMilestoneInline(_RecordRowsInline):
    model = ProcessingMilestone
    fields = ["position", "on", "planned", "label"]


def unanswered_measures(record: Processing | None) -> list[ProcessingMeasure]:
    answered = set(record.measures.values_list("measure_id", flat=True)) if record else set()
    return [m for m in ProcessingMeasure.objects.filter(is_active=True) if m.pk not in answered]


class ProcessingMeasureInline(_RecordRowsInline):
    model = ProcessingMeasureAnswer
    fields = ["measure", "answer"]
    verbose_name_plural = "情報保護対策チェックリスト（○ = 対策を講じる、ー = 必要なし）"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("measure")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "measure":
            # The rows are a fixed template: no add / edit / delete links beside each one.
            field.widget = getattr(field.widget, "widget", field.widget)
            field.queryset = field.queryset.filter(is_active=True)
        return field

    def get_extra(self, request, obj=None, **kwargs) -> int:
        # One blank row for every checklist item not answered yet, so the whole list shows.
        return len(unanswered_measures(obj))


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
class ProcessingAdmin(PrintButtonMixin, ReviewedRecordAdmin):
    # The review panel's template, which extends the print button's.
    change_form_template = ReviewedRecordAdmin.change_form_template
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
    list_filter = [ReviewQueueFilter, "state", "business__section", "business"]
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

    @admin.display(description="記入状況")
    def checklist_status(self, record: Processing):
        if not record.pk:
            return ""
        problems = record.checklist_problems()
        if not problems:
            return "すべての項目に記入済みです。"
        return format_html(
            '<ul class="errorlist">{}</ul>',
            format_html_join("", "<li>{}</li>", ((p,) for p in problems)),
        )

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, ProcessingMeasureInline):
            # On the POST too: a blank row left as offered is unchanged, not a half row.
            kwargs["initial"] = [{"measure": m.pk} for m in unanswered_measures(obj)]
        return kwargs

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A warning only: the submission step refuses an incomplete checklist.
        for problem in form.instance.checklist_problems():
            messages.warning(request, problem)
