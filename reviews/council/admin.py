"""Admin pages for the council's records."""

from django.contrib import admin
from django.db import transaction
from django.db.models import Count

from printing import wareki
from registry.admin import RegisterImportExportMixin
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
from reviews.council.services import consultation_assign_number


class CategoryExampleInline(admin.TabularInline):
    model = CategoryExample
    extra = 0
    fields = ["order", "text", "added_on", "report", "added_by"]
    autocomplete_fields = ["report"]


@admin.register(PreApprovalCategory)
class PreApprovalCategoryAdmin(RegisterImportExportMixin, admin.ModelAdmin):
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


@admin.register(CategoryExample)
class CategoryExampleAdmin(RegisterImportExportMixin, admin.ModelAdmin):
    resource_classes = [CategoryExampleResource]
    list_display = ["text", "category", "added_on_display", "report"]
    list_filter = ["category", "report"]
    list_select_related = ["category", "report__section"]
    search_fields = ["text", "added_by", "report__title"]
    autocomplete_fields = ["report"]

    @admin.display(description="追加日", ordering="added_on")
    def added_on_display(self, example: CategoryExample) -> str:
        return wareki.format_date(example.added_on) if example.added_on else ""


class AnswerInline(admin.StackedInline):
    model = Answer
    extra = 0


@admin.register(Consultation)
class ConsultationAdmin(RegisterImportExportMixin, admin.ModelAdmin):
    resource_classes = [ConsultationResource]
    list_display = [
        "__str__",
        "fiscal_year_display",
        "subject",
        "section",
        "record_count",
        "has_answer",
    ]
    list_filter = ["fiscal_year", "section"]
    list_select_related = ["answer", "section"]
    search_fields = ["subject", "summary", "document_number"]
    readonly_fields = ["fiscal_year_display", "number"]
    date_hierarchy = "consulted_on"
    inlines = [AnswerInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                record_count=Count("consignments", distinct=True) + Count("linkages", distinct=True)
            )
        )

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        if not change:
            # Numbers come from the locked counter, never from the form.
            consultation_assign_number(consultation=obj)
        super().save_model(request, obj, form, change)

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
class CouncilMeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "consultation_list"]
    search_fields = ["title", "agenda"]
    filter_horizontal = ["consultations"]
    date_hierarchy = "held_on"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("consultations")

    @admin.display(description="審議した諮問")
    def consultation_list(self, meeting: CouncilMeeting) -> str:
        return "、".join(str(c) for c in meeting.consultations.all())


class ObligationInline(admin.TabularInline):
    model = Obligation
    extra = 0
    fields = ["text", "owner", "due_on", "status", "note"]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["__str__", "answered_on_display", "consultation", "conclusion"]
    list_filter = ["conclusion"]
    list_select_related = ["consultation"]
    search_fields = ["title", "addressee", "summary", "judgement", "opinion"]
    autocomplete_fields = ["consultation"]
    inlines = [ObligationInline]

    @admin.display(description="答申日", ordering="answered_on")
    def answered_on_display(self, answer: Answer) -> str:
        return wareki.format_date(answer.answered_on)


@admin.register(Obligation)
class ObligationAdmin(admin.ModelAdmin):
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


class ReportItemInline(admin.StackedInline):
    model = ReportItem
    extra = 0


@admin.register(PreApprovalReport)
class PreApprovalReportAdmin(admin.ModelAdmin):
    list_display = ["title", "section", "reported_on", "item_names"]
    list_filter = ["section"]
    list_select_related = ["section"]
    search_fields = ["title", "overview", "items__name"]
    inlines = [ReportItemInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("items")

    @admin.display(description="項目")
    def item_names(self, report: PreApprovalReport) -> str:
        return "、".join(item.name for item in report.items.all())
