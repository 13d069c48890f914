"""Admin pages for the council's records. Every save goes through the services in
reviews.council.services (AuditedAdmin); pre-approval reports are read here and changed
only by their section on the staff pages."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db.models import Count

from exchange.admin import RegisterImportExportMixin
from notation import wareki
from notation.admin_eras import era_column, fiscal_year_filter
from printing.admin import ReadOnlyAdminMixin
from registry.admin import AuditedAdmin, LabelledTabularInline
from reviews.council import services
from reviews.council.models import (
    Answer,
    CategoryExample,
    Consultation,
    CouncilMeeting,
    Obligation,
    PreApprovalCategory,
    PreApprovalReport,
    ReportItem,
)
from reviews.council.resources import (
    CategoryExampleResource,
    ConsultationResource,
    PreApprovalCategoryResource,
)


class CategoryExampleInline(LabelledTabularInline):
    model = CategoryExample
    extra = 0
    fields = ["order", "text", "added_on", "report", "added_by"]
    autocomplete_fields = ["report"]


@admin.register(PreApprovalCategory)
class PreApprovalCategoryAdmin(RegisterImportExportMixin, AuditedAdmin):
    resource_classes = [PreApprovalCategoryResource]
    list_display = ["__str__", "rule", "example_list"]
    list_filter = ["chapter"]
    search_fields = ["rule", "examples__text"]
    inlines = [CategoryExampleInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("examples")

    @admin.display(description="事例")
    def example_list(self, category: PreApprovalCategory) -> str:
        return "・".join(example.text for example in category.examples.all())

    def service_save(self, request, obj, form, change):
        data = self.form_data(form, change)
        if change:
            return services.category_update(actor=request.user, category=obj, data=data)
        return services.category_create(actor=request.user, data=data)

    def save_formset(self, request, form, formset, change):
        for example, data, deleted in self.inline_rows(formset):
            if deleted:
                services.example_delete(actor=request.user, example=example)
            elif example is None:
                services.example_create(actor=request.user, category=form.instance, data=data)
            else:
                services.example_update(actor=request.user, example=example, data=data)


@admin.register(CategoryExample)
class CategoryExampleAdmin(RegisterImportExportMixin, AuditedAdmin):
    resource_classes = [CategoryExampleResource]
    list_display = ["text", "category", "added_on_display", "report"]
    list_filter = ["category", "report"]
    list_select_related = ["category", "report__section"]
    search_fields = ["text", "added_by", "report__title"]
    autocomplete_fields = ["report"]

    @admin.display(description="追加日", ordering="added_on")
    def added_on_display(self, example: CategoryExample) -> str:
        return wareki.format_date(example.added_on) if example.added_on else ""

    def get_readonly_fields(self, request, obj=None):
        # An example belongs to its category; a different one is a new example.
        return ["category"] if obj is not None else []

    def service_save(self, request, obj, form, change):
        data = self.form_data(form, change)
        if change:
            return services.example_update(actor=request.user, example=obj, data=data)
        category = data.pop("category")
        return services.example_create(actor=request.user, category=category, data=data)


class AnswerInline(admin.StackedInline):
    model = Answer
    extra = 0
    can_delete = False


@admin.register(Consultation)
class ConsultationAdmin(RegisterImportExportMixin, AuditedAdmin):
    resource_classes = [ConsultationResource]
    list_display = [
        "__str__",
        "fiscal_year_display",
        "subject",
        "section",
        "record_count",
        "has_answer",
    ]
    list_filter = [fiscal_year_filter("fiscal_year"), "section"]
    list_select_related = ["answer", "section"]
    search_fields = ["subject", "summary", "document_number"]
    readonly_fields = ["fiscal_year_display", "number"]
    inlines = [AnswerInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                record_count=Count("consignments", distinct=True) + Count("linkages", distinct=True)
            )
            # The model's ordering is dropped with the counts' GROUP BY; the search box of
            # the records' 諮問 filter pages through this list.
            .order_by(*Consultation._meta.ordering)
        )

    def service_save(self, request, obj, form, change):
        # Numbers come from the locked counter in the service, never from the form.
        data = self.form_data(form, change)
        if change:
            return services.consultation_update(actor=request.user, consultation=obj, data=data)
        return services.consultation_create(actor=request.user, **data)

    def save_formset(self, request, form, formset, change):
        for answer, data, _deleted in self.inline_rows(formset):
            if answer is None:
                services.answer_create(actor=request.user, consultation=form.instance, data=data)
            else:
                services.answer_update(actor=request.user, answer=answer, data=data)

    @admin.display(description="年度", ordering="fiscal_year")
    def fiscal_year_display(self, consultation: Consultation) -> str:
        return consultation.fiscal_year_display if consultation.fiscal_year else "（保存時に採番）"

    @admin.display(description="関係する記録票", ordering="record_count")
    def record_count(self, consultation: Consultation) -> int:
        return consultation.record_count

    @admin.display(description="答申", boolean=True)
    def has_answer(self, consultation: Consultation) -> bool:
        return hasattr(consultation, "answer")


@admin.register(CouncilMeeting)
class CouncilMeetingAdmin(AuditedAdmin):
    list_display = ["__str__", "consultation_list"]
    search_fields = ["title", "agenda"]
    filter_horizontal = ["consultations"]
    list_filter = [fiscal_year_filter("held_on", "開催年度")]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("consultations")

    @admin.display(description="審議した諮問")
    def consultation_list(self, meeting: CouncilMeeting) -> str:
        return "、".join(str(c) for c in meeting.consultations.all())

    def service_save(self, request, obj, form, change):
        data = self.form_data(form, change)
        if change:
            return services.meeting_update(actor=request.user, meeting=obj, data=data)
        return services.meeting_create(actor=request.user, data=data)


class ObligationInline(LabelledTabularInline):
    model = Obligation
    extra = 0
    fields = ["text", "owner", "due_on", "status", "note"]
    # A 附帯意見 is withdrawn (取り下げ), never deleted: its history stays.
    can_delete = False


def _save_obligations(request, answer: Answer, formset) -> None:
    for obligation, data, _deleted in AuditedAdmin.inline_rows(formset):
        if obligation is None:
            services.obligation_create(actor=request.user, answer=answer, data=data)
        else:
            services.obligation_update(actor=request.user, obligation=obligation, data=data)


@admin.register(Answer)
class AnswerAdmin(AuditedAdmin):
    list_display = ["__str__", "answered_on_display", "consultation", "conclusion"]
    list_filter = ["conclusion"]
    list_select_related = ["consultation"]
    search_fields = ["title", "addressee", "summary", "judgement", "opinion"]
    autocomplete_fields = ["consultation"]
    inlines = [ObligationInline]

    @admin.display(description="答申日", ordering="answered_on")
    def answered_on_display(self, answer: Answer) -> str:
        return wareki.format_date(answer.answered_on)

    def get_readonly_fields(self, request, obj=None):
        # An answer answers one consultation for good.
        return ["consultation"] if obj is not None else []

    def service_save(self, request, obj, form, change):
        data = self.form_data(form, change)
        if change:
            return services.answer_update(actor=request.user, answer=obj, data=data)
        consultation = data.pop("consultation")
        return services.answer_create(actor=request.user, consultation=consultation, data=data)

    def save_formset(self, request, form, formset, change):
        _save_obligations(request, form.instance, formset)


@admin.register(Obligation)
class ObligationAdmin(AuditedAdmin):
    list_display = ["__str__", "owner", "due_on_display", "status", "is_overdue"]
    list_filter = ["status", "owner"]
    list_select_related = ["answer", "owner"]
    search_fields = ["text", "note"]

    @admin.display(description="期限", ordering="due_on")
    def due_on_display(self, obligation: Obligation) -> str:
        return wareki.format_date(obligation.due_on) if obligation.due_on else ""

    @admin.display(description="期限超過", boolean=True)
    def is_overdue(self, obligation: Obligation) -> bool:
        return obligation.is_overdue

    def get_readonly_fields(self, request, obj=None):
        return ["answer"] if obj is not None else []

    def service_save(self, request, obj, form, change):
        data = self.form_data(form, change)
        if change:
            return services.obligation_update(actor=request.user, obligation=obj, data=data)
        answer = data.pop("answer")
        return services.obligation_create(actor=request.user, answer=answer, data=data)


class ReportItemInline(ReadOnlyAdminMixin, admin.StackedInline):
    model = ReportItem
    extra = 0


@admin.register(PreApprovalReport)
class PreApprovalReportAdmin(ReadOnlyAdminMixin, AuditedAdmin):
    """Read-only: a report is its section's, written on the staff pages (report_save);
    reviewers add its examples there (report_item_add_example)."""

    list_display = ["title", "section", era_column("reported_on", "報告日"), "item_names"]
    list_filter = ["section"]
    list_select_related = ["section"]
    search_fields = ["title", "overview", "items__name"]
    inlines = [ReportItemInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("items")

    @admin.display(description="項目")
    def item_names(self, report: PreApprovalReport) -> str:
        return "、".join(item.name for item in report.items.all())

    def history_view(self, request, object_id, extra_context=None):
        report = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        if report is not None:
            extra_context["history"] = list(reversed(report.change_history()))
        return super().history_view(request, object_id, extra_context)
