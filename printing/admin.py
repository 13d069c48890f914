"""Printing from the admin: an action for any registered form, the print jobs and the
stored PDFs."""

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Count, Sum
from django.db.models.functions import Length
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django_tasks_db.models import DBTaskResult

from notation.admin_eras import era_column, era_text
from printing import kinds, services
from printing.http import pdf_response
from printing.models import PrintJob, StoredPdf
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
    # No lists prefetched: a final version prints what it kept (and usually has a
    # stored file), a draft reads its lists as it prints them.
    return kind.unprintable(kind.records(ids=[pk]).prefetch_related(None))


class ReadOnlyAdminMixin:
    """An admin (or inline) that only shows: its rows are written by a service or a command (or are
    the official wording), never added, changed or deleted here, not even by a
    superuser. Here beside the other admin pieces every app uses, since printing
    imports no app."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


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


def _kind_label(name: str) -> str:
    try:
        return kinds.get(name).label
    except LookupError:
        return f"{name}（登録されていない種類）"


class StoredKindFilter(admin.SimpleListFilter):
    title = "帳票の種類"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [(name, kinds.get(name).label) for name in kinds.names()]

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(StoredPdf)
class StoredPdfAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """What the store holds, for the 事務局: read only. A file is stored when an approved
    version is first printed and removed by housekeeping once nothing can serve it
    (printing.services.stored_pdfs_prune), never from here."""

    change_list_template = "admin/printing/storedpdf/change_list.html"
    list_display = [
        "kind_label",
        "record_link",
        "pages",
        "size",
        era_column("created_at", "作成日時"),
    ]
    list_filter = [StoredKindFilter]
    # The PDF itself is never shown or loaded here: only its size.
    fields = readonly_fields = ["kind_label", "record_link", "key", "pages", "size", "created"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content").annotate(bytes=Length("content"))

    def changelist_view(self, request, extra_context=None):
        totals = (
            StoredPdf.objects.values("kind")
            .annotate(count=Count("pk"), bytes=Sum(Length("content")))
            .order_by("kind")
        )
        summary = [
            {"label": _kind_label(row["kind"]), "count": row["count"], "size": row["bytes"]}
            for row in totals
        ]
        extra_context = (extra_context or {}) | {
            "summary": summary,
            "summary_count": sum(row["count"] for row in summary),
            "summary_size": sum(row["size"] or 0 for row in summary),
        }
        return super().changelist_view(request, extra_context)

    @admin.display(description="帳票の種類", ordering="kind")
    def kind_label(self, stored: StoredPdf) -> str:
        return _kind_label(stored.kind)

    @admin.display(description="記録", ordering="record_id")
    def record_link(self, stored: StoredPdf) -> str:
        try:
            meta = kinds.get(stored.kind).queryset().model._meta
            url = reverse(
                f"admin:{meta.app_label}_{meta.model_name}_change", args=[stored.record_id]
            )
        except (LookupError, NoReverseMatch):
            return f"ID {stored.record_id}"
        return format_html('<a href="{}">ID {}</a>', url, stored.record_id)

    @admin.display(description="サイズ", ordering="bytes")
    def size(self, stored: StoredPdf) -> str:
        return filesizeformat(stored.bytes)

    @admin.display(description="作成日時")
    def created(self, stored: StoredPdf) -> str:
        return era_text(stored.created_at)


# django-tasks-db's own admin is in English and shows raw task rows; clerks follow
# their print jobs above instead.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
