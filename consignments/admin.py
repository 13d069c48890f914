from django import forms
from django.contrib import admin

from consignments.models import (
    Condition,
    Consignment,
    RecordKind,
    TransferForm,
    council_references_of,
)
from consignments.resources import ConsignmentResource
from exchange.admin import RegisterImportExportMixin
from printing.admin import PrintButtonMixin, ReadOnlyAdminMixin, print_action
from registry.admin import AutocompleteFilter
from reviews.workflow.admin import ReviewedRecordAdmin, ReviewQueueFilter

CHECKBOX_LISTS = {"record_kinds", "conditions", "transfer_forms"}


@admin.register(Consignment)
class ConsignmentAdmin(PrintButtonMixin, RegisterImportExportMixin, ReviewedRecordAdmin):
    # The review panel's template, which extends the print button's.
    change_form_template = ReviewedRecordAdmin.change_form_template
    resource_classes = [ConsignmentResource]
    print_kind = "form2"
    print_url_name = "consignments:form2_pdf"
    actions = [print_action("form2")]
    list_display = [
        "state_badge",
        "business_number",
        "business_name",
        "section_name",
        "contractor_type",
        "period_display",
        "council_display",
        "validity_display",
    ]
    list_display_links = ["business_number", "contractor_type"]
    list_filter = [
        ReviewQueueFilter,
        "state",
        "business__section",
        ("business", AutocompleteFilter),
        ("categories", AutocompleteFilter),
        ("consultations", AutocompleteFilter),
        "record_kinds",
        "conditions",
        "transfer_forms",
        "period_kind",
    ]
    list_select_related = ["business__section"]
    search_fields = [
        "business__number",
        "business__name",
        "contractor_type",
        "content",
        "contractors__name",
        "record_kinds_other",
    ]
    autocomplete_fields = ["business"]
    filter_horizontal = ["contractors", "consultations", "categories"]
    fieldsets = [
        (None, {"fields": ["business", "contractor_type", "contractors", "content"]}),
        ("委託期間", {"fields": ["period_kind", "period_start", "period_end"]}),
        ("審議会事項", {"fields": ["consultations", "categories"]}),
        (
            "個人情報の取扱い",
            {
                "fields": [
                    "record_kinds",
                    "record_kinds_other",
                    "conditions",
                    "conditions_other",
                    "transfer_forms",
                    "transfer_forms_other",
                ]
            },
        ),
        (None, {"fields": ["manager", "effective_from", "effective_until"]}),
    ]

    def list_queryset(self, queryset):
        return super().list_queryset(queryset).with_council_references()

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in CHECKBOX_LISTS:
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description="委託期間", ordering="period_start")
    def period_display(self, consignment: Consignment) -> str:
        return consignment.period_display

    @admin.display(description="審議会事項")
    def council_display(self, consignment: Consignment) -> str:
        return "、".join(
            council_references_of(consignment.listed_consultations, consignment.listed_categories)
        )


@admin.register(RecordKind, Condition, TransferForm)
class CheckboxOptionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The checkbox labels are the form's wording: kept read-only so printed forms stay
    identical to the official 様式."""

    list_display = ["order", "label", "code"]
