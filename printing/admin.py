"""Printing from the admin: an action for any registered form, and the print jobs."""

from django.conf import settings
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django_tasks_db.models import DBTaskResult

from printing import kinds, services
from printing.admin_eras import era_column
from printing.http import pdf_response
from printing.models import PrintJob
from printing.render import unprintable_message


def print_action(kind_name: str):
    """An admin action printing the selected records as one PDF; large selections
    become a background job and the browser is sent to its progress page."""

    @admin.action(description="選択した記録を印刷（PDF）")
    def print_selected(modeladmin, request, queryset):
        kind = kinds.get(kind_name)
        if hasattr(queryset, "visible_to"):
            queryset = queryset.visible_to(request.user)
        ids = list(queryset.values_list("pk", flat=True))
        if len(ids) > settings.PRINT_BACKGROUND_THRESHOLD:
            job = services.print_job_start(actor=request.user, kind=kind_name, record_ids=ids)
            messages.info(request, f"{len(ids)}件の印刷を受け付けました。")
            return redirect("printing:job_detail", pk=job.pk)
        pdf = kind.render(kind.records(ids=ids))
        if pdf.missing_glyphs:
            messages.warning(request, unprintable_message(pdf.missing_glyphs))
        return pdf_response(pdf.content, f"{kind_name}_{len(ids)}件.pdf")

    print_selected.__name__ = f"print_{kind_name}"
    return print_selected


def unprintable_in(kind_name: str, pk: int) -> list[str]:
    kind = kinds.get(kind_name)
    return kind.unprintable(kind.records(ids=[pk]))


class PrintButtonMixin:
    """Adds the 印刷 (PDF) link to a change form (template block object-tools-items)
    and warns, when the form is opened, about characters the fonts cannot print. The
    admin it is mixed into answers `unprintable_chars(obj)`, from `unprintable_in()`
    (reviews keeps the answer until the record changes)."""

    change_form_template = "admin/printing/change_form.html"
    print_kind: str
    print_url_name: str

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, object_id)
        if obj is not None:
            extra_context["print_url"] = reverse(self.print_url_name, args=[obj.pk])
            if request.method == "GET":
                chars = self.unprintable_chars(obj)
                if chars:
                    messages.warning(request, unprintable_message(chars))
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(PrintJob)
class PrintJobAdmin(admin.ModelAdmin):
    list_display = [
        era_column("requested_at", "依頼日時"),
        "kind",
        "total",
        "status",
        "requested_by",
        "progress_link",
    ]
    list_filter = ["status", "kind"]
    readonly_fields = [f.name for f in PrintJob._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description="進捗")
    def progress_link(self, job: PrintJob) -> str:
        return format_html(
            '<a href="{}">{} / {}</a>',
            reverse("printing:job_detail", args=[job.pk]),
            job.done,
            job.total,
        )


# django-tasks-db's own admin is in English and shows raw task rows; clerks follow
# their print jobs above instead.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
