from django import forms
from django.contrib import admin, messages

from exchange.admin import RegisterImportExportMixin
from filebook.checks import problems_for_file
from filebook.models import PersonalInfoFile
from filebook.resources import PersonalInfoFileResource
from printing.admin import PrintButtonMixin, print_action
from registry.admin import AutocompleteFilter
from reviews.workflow.admin import ReviewedRecordAdmin, ReviewQueueFilter


@admin.register(PersonalInfoFile)
class PersonalInfoFileAdmin(PrintButtonMixin, RegisterImportExportMixin, ReviewedRecordAdmin):
    """Reviewers' queue and steps for 個人情報ファイル (承認 needs no council basis)."""

    # The review panel's template, which extends the print button's.
    change_form_template = ReviewedRecordAdmin.change_form_template
    resource_classes = [PersonalInfoFileResource]
    print_kind = "filebook"
    print_url_name = "filebook:filebook_pdf"
    actions = [print_action("filebook")]
    list_display = [
        "state_badge",
        "business_number",
        "name",
        "section_name",
        "file_kind",
        "subject_count",
        "validity_display",
    ]
    list_display_links = ["business_number", "name"]
    list_filter = [
        ReviewQueueFilter,
        "state",
        "business__section",
        ("business", AutocompleteFilter),
        "file_kind",
        "subject_count",
        "sensitive",
        "built_from_register",
    ]
    list_select_related = ["business__section"]
    search_fields = ["business__number", "business__name", "name", "record_items"]
    autocomplete_fields = ["business"]
    readonly_fields = ["built_from_register"]
    fieldsets = [
        (None, {"fields": ["business", "name", "agency_name", "organization_name", "purpose"]}),
        (
            "記録",
            {
                "fields": [
                    "record_items",
                    "record_scope",
                    "collection_method",
                    "sensitive",
                    "regular_recipients",
                ]
            },
        ),
        (
            "開示請求等",
            {"fields": ["disclosure_office", "special_procedures"]},
        ),
        (
            None,
            {
                "fields": [
                    "file_kind",
                    "anonymization",
                    "subject_count",
                    "effective_from",
                    "effective_until",
                    "built_from_register",
                ]
            },
        ),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in ("file_kind", "subject_count"):
            kwargs["widget"] = forms.RadioSelect
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Saved through the services; a disagreement with the register is a warning.
        for problem in problems_for_file(form.instance):
            messages.warning(request, f"［{problem.rule}］{problem.message}")
