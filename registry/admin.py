from django.contrib import admin
from django.db.models import Count

from registry.models import Business, Organization, Section, StaffMember


class BusinessInline(admin.TabularInline):
    model = Business
    extra = 0
    fields = ["number", "name"]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "manager_title", "business_count"]
    search_fields = ["department", "name"]
    inlines = [BusinessInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(business_count=Count("businesses"))

    @admin.display(description="業務数", ordering="business_count")
    def business_count(self, section: Section) -> int:
        return section.business_count


@admin.register(Business)
class BusinessAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "section"]
    list_filter = ["section"]
    list_select_related = ["section"]
    search_fields = ["number", "name", "section__name"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "address", "is_terms_of_service"]
    list_filter = ["is_terms_of_service"]
    search_fields = ["name", "address"]


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "section"]
    list_filter = ["section"]
    list_select_related = ["user", "section"]
    search_fields = ["user__username", "user__last_name", "section__name"]
    autocomplete_fields = ["user"]
