"""Admin pages for the internal committee: the clerks keep its meetings (through
reviews.committee.services); agenda items are read here, prepared by their section on
the staff pages and decided there by a reviewer."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from notation.people import person_name
from printing.admin import ReadOnlyAdminMixin
from registry.admin import AuditedAdmin
from reviews.committee import services
from reviews.committee.models import AgendaItem, AgendaRecord, CommitteeMeeting


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "material_number", "subject", "section", "decision", "decided_on"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CommitteeMeeting)
class CommitteeMeetingAdmin(AuditedAdmin):
    list_display = ["title", "held_on"]
    search_fields = ["title"]
    inlines = [AgendaItemInline]

    def service_save(self, request, obj, form, change):
        data = self.form_data(form, change)
        if change:
            return services.meeting_save(actor=request.user, meeting=obj, data=data)
        return services.meeting_create(actor=request.user, data=data)


class AgendaRecordInline(admin.TabularInline):
    model = AgendaRecord
    extra = 0
    fields = ["position", "record_link", "request", "amended_since", "list_number"]
    readonly_fields = fields

    @admin.display(description="記録")
    def record_link(self, entry: AgendaRecord):
        record = entry.record
        url = reverse(
            f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk]
        )
        return format_html('<a href="{}">{}</a>', url, record)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AgendaItem)
class AgendaItemAdmin(ReadOnlyAdminMixin, AuditedAdmin):
    """Read-only: the section prepares the item on the staff pages (/committee/)."""

    list_display = ["material_number", "subject", "meeting", "section", "decision", "decided_on"]
    list_filter = ["meeting", "section", "decision"]
    search_fields = ["subject", "project_name"]
    inlines = [AgendaRecordInline]
    # Shown as people read them: the kinds by their labels, not the stored codes; the
    # person by name, not by login name.
    exclude = ["kinds", "decided_by"]
    readonly_fields = ["kinds_label", "decided_by_name"]

    @admin.display(description="付議の種類")
    def kinds_label(self, item: AgendaItem) -> str:
        return item.kinds_display()

    @admin.display(description="決定を記録した人")
    def decided_by_name(self, item: AgendaItem) -> str:
        return person_name(item.decided_by) if item.decided_by_id else ""

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)
