from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join

from linkages.models import Linkage, LinkageItem, LinkageMeasure, ProtectionMeasure
from linkages.resources import LinkageResource
from printing import wareki
from printing.admin import PrintButtonMixin, print_action
from registry import services
from registry.admin import AuditedAdmin, LabelledTabularInline, RegisterImportExportMixin
from reviews.workflow.admin import ReviewedRecordAdmin, ReviewQueueFilter
from reviews.workflow.states import may_edit


class LinkageItemInline(LabelledTabularInline):
    model = LinkageItem
    extra = 0
    fields = ["direction", "position", "name"]

    # The items are part of the record: editable exactly when the record is.
    def has_add_permission(self, request, obj=None) -> bool:
        return obj is None or may_edit(request.user, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None or may_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return obj is None or may_edit(request.user, obj)


class LinkageMeasureInline(LabelledTabularInline):
    model = LinkageMeasure
    extra = 0
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


def unanswered_measures(linkage: Linkage | None) -> list[ProtectionMeasure]:
    answered = set(linkage.measures.values_list("measure_id", flat=True)) if linkage else set()
    return [m for m in ProtectionMeasure.objects.filter(is_active=True) if m.pk not in answered]


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
class LinkageAdmin(PrintButtonMixin, RegisterImportExportMixin, ReviewedRecordAdmin):
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
        "business",
        "line",
        "linked_consultation",
        "partner",
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

    @admin.display(description="記入状況")
    def checklist_status(self, linkage: Linkage):
        if not linkage.pk:
            return ""
        problems = linkage.checklist_problems()
        if not problems:
            return "すべての項目に記入済みです。"
        return format_html(
            '<ul class="errorlist">{}</ul>',
            format_html_join("", "<li>{}</li>", ((p,) for p in problems)),
        )

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, LinkageMeasureInline):
            # On the POST too: a blank row left as offered is then unchanged, not a row
            # with a measure and no answer.
            kwargs["initial"] = [{"measure": m.pk} for m in unanswered_measures(obj)]
        return kwargs

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A warning only: the submission step refuses an incomplete checklist.
        for problem in form.instance.checklist_problems():
            messages.warning(request, problem)

    @admin.display(description="結合年月日", ordering="linked_on")
    def linked_on_display(self, linkage: Linkage) -> str:
        return wareki.format_month(linkage.linked_on)
