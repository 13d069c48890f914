from django.contrib import admin
from django.db.models import Count

from printing import wareki
from registry.admin import RegisterImportExportMixin
from reviews.models import Answer, CategoryExample, Consultation, PreApprovalCategory
from reviews.resources import (
    CategoryExampleResource,
    ConsultationResource,
    PreApprovalCategoryResource,
)


class CategoryExampleInline(admin.TabularInline):
    model = CategoryExample
    extra = 0
    fields = ["order", "text", "added_on", "added_by"]


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
    list_display = ["text", "category", "added_on_display", "added_by"]
    list_filter = ["category"]
    list_select_related = ["category"]
    search_fields = ["text", "added_by"]

    @admin.display(description="追加日", ordering="added_on")
    def added_on_display(self, example: CategoryExample) -> str:
        return wareki.format_date(example.added_on) if example.added_on else ""


class AnswerInline(admin.StackedInline):
    model = Answer
    extra = 0


@admin.register(Consultation)
class ConsultationAdmin(RegisterImportExportMixin, admin.ModelAdmin):
    resource_classes = [ConsultationResource]
    list_display = ["__str__", "subject", "record_count", "has_answer"]
    search_fields = ["subject", "summary"]
    date_hierarchy = "consulted_on"
    inlines = [AnswerInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("answer")
            .annotate(
                record_count=Count("consignments", distinct=True) + Count("linkages", distinct=True)
            )
        )

    @admin.display(description="関係する記録票", ordering="record_count")
    def record_count(self, consultation: Consultation) -> int:
        return consultation.record_count

    @admin.display(description="答申", boolean=True)
    def has_answer(self, consultation: Consultation) -> bool:
        return hasattr(consultation, "answer")


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["__str__", "answered_on_display", "consultation", "conclusion"]
    list_filter = ["conclusion"]
    list_select_related = ["consultation"]
    search_fields = ["addressee", "judgement", "opinion"]

    @admin.display(description="答申日", ordering="answered_on")
    def answered_on_display(self, answer: Answer) -> str:
        return wareki.format_date(answer.answered_on)
