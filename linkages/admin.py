from django.contrib import admin

from linkages.models import Linkage, LinkageItem
from linkages.resources import LinkageResource
from printing import wareki
from registry.admin import RegisterImportExportMixin
from reviews.admin import ReviewedRecordAdmin, ReviewQueueFilter
from reviews.workflow import may_edit


class LinkageItemInline(admin.TabularInline):
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


@admin.register(Linkage)
class LinkageAdmin(RegisterImportExportMixin, ReviewedRecordAdmin):
    resource_classes = [LinkageResource]
    list_display = [
        "state",
        "business_number",
        "business_name",
        "section_name",
        "partner",
        "linked_on_display",
        "linked_consultation",
        "line",
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
    inlines = [LinkageItemInline]
    fieldsets = [
        (None, {"fields": ["business", "purpose"]}),
        (
            "結合年月日",
            {"fields": ["linked_on", "linked_consultation", "changed_on", "change_consultation"]},
        ),
        ("電算結合の相手方", {"fields": ["partner", "partner_role", "line"]}),
        ("個人情報の保護", {"fields": ["ward_measures", "partner_measures"]}),
        (None, {"fields": ["manager", "effective_from", "effective_until"]}),
    ]

    @admin.display(description="業務登録番号", ordering="business__number")
    def business_number(self, linkage: Linkage) -> str:
        return linkage.business.number

    @admin.display(description="業務の名称", ordering="business__name")
    def business_name(self, linkage: Linkage) -> str:
        return linkage.business.name

    @admin.display(description="所管課")
    def section_name(self, linkage: Linkage) -> str:
        return str(linkage.business.section)

    @admin.display(description="結合年月日", ordering="linked_on")
    def linked_on_display(self, linkage: Linkage) -> str:
        return wareki.format_month(linkage.linked_on)
