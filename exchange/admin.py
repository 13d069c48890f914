"""The admin's spreadsheet import and export (a mixin every register's admin uses) and
取り込み履歴, the import runs with their progress pages."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportMixin
from import_export.forms import ImportForm, SelectableFieldsExportForm

from accesslog.models import AccessEvent
from accesslog.services import access_record
from exchange.commands import export_disposition, export_file_name
from exchange.models import ExportRecord, ImportRecord
from exchange.services import (
    exportrecord_create,
    importrecord_create,
    importrecord_enqueue,
    importrecord_retry,
)
from exchange.spreadsheets import (
    FORMATS,
    ImportFileError,
    SpreadsheetCSV,
    SpreadsheetXLSX,
    check_file_size,
    format_key,
)
from notation.admin_eras import era_column
from printing.admin import ReadOnlyAdminMixin
from printing.http import content_disposition


class RegisterImportForm(ImportForm):
    """The upload form, refusing an oversized file before anything reads it."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        try:
            check_file_size(upload.size)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        return upload


class RegisterExportForm(SelectableFieldsExportForm):
    """The export page's column choices, named by the Japanese column header alone (the
    library prefixes the attribute name: "Record Kinds Family (…)") and marked with a
    data- attribute (the library's own `resource-id` is not valid HTML)."""

    def __init__(self, *args, **kwargs):
        self._resource_fields: dict[type, dict] = {}
        super().__init__(*args, **kwargs)
        self.fields["resource"].label = "出力する内容"
        self.fields["format"].label = "ファイル形式"
        for field in self.fields.values():
            index = field.widget.attrs.pop("resource-id", None)
            if index is not None:
                field.widget.attrs["data-resource-index"] = index

    def _get_field_label(self, resource, field_name: str) -> str:
        # An instance: the ■/□ columns of the checkbox lists are added per vocabulary row
        # when a resource is created, so the class does not list them.
        if resource not in self._resource_fields:
            self._resource_fields[resource] = resource().fields
        field = self._resource_fields[resource].get(field_name)
        return field.column_name if field is not None else field_name


class RegisterImportExportMixin(ImportExportMixin):
    """Import and export buttons for a register: XLSX or CSV, previewed, all or nothing,
    recorded in 取り込み履歴. Every file is checked and imported by the task worker
    while the browser shows the progress."""

    import_formats = [SpreadsheetXLSX, SpreadsheetCSV]
    export_formats = [SpreadsheetXLSX, SpreadsheetCSV]
    import_form_class = RegisterImportForm
    import_error_display = ("message",)
    import_template_name = "admin/exchange/import.html"
    export_form_class = RegisterExportForm
    export_template_name = "admin/exchange/export.html"

    def get_import_context_data(self, **kwargs):
        return {
            "import_max_rows": f"{settings.IMPORT_MAX_ROWS:,}",
            "import_max_megabytes": f"{settings.IMPORT_MAX_FILE_SIZE / (1024 * 1024):.0f}",
        }

    def get_import_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def get_export_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def get_export_filename(self, request, queryset, file_format):
        return export_file_name(self.model, file_format.get_extension())

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        ids = list(queryset.values_list("pk", flat=True)[: settings.EXPORT_IN_REQUEST_MAX_ROWS + 1])
        if len(ids) > settings.EXPORT_IN_REQUEST_MAX_ROWS:
            # Too many rows to write within a request: the task worker writes the file.
            return self._export_in_background(file_format, request, queryset, export_form)
        response = super()._do_file_export(file_format, request, queryset, export_form)
        # The library quotes the name as it is; a Japanese name needs RFC 6266's filename*.
        response["Content-Disposition"] = export_disposition(
            self.model, file_format.get_extension()
        )
        return response

    def _export_in_background(self, file_format, request, queryset, export_form):
        if not self.has_export_permission(request):
            raise PermissionDenied
        ids = list(queryset.values_list("pk", flat=True))
        access_record(request=request, action=AccessEvent.Action.EXPORT, model=self.model, ids=ids)
        record = exportrecord_create(
            actor=request.user,
            resource_class=self.choose_export_resource_class(export_form, request),
            register=str(self.model._meta.verbose_name),
            file_name=self.get_export_filename(request, queryset, file_format),
            file_format=format_key(file_format),
            record_ids=ids,
            fields=self.get_export_resource_fields_from_form(export_form),
        )
        return redirect("admin:exchange_exportrecord_progress", record.pk)

    def get_export_data(self, file_format, request, queryset, **kwargs):
        # Exports carry personal data: the access log names each record written out.
        access_record(
            request=request,
            action=AccessEvent.Action.EXPORT,
            model=self.model,
            ids=queryset.values_list("pk", flat=True),
        )
        return super().get_export_data(file_format, request, queryset, **kwargs)

    def import_action(self, request, **kwargs):
        """A valid upload (its size checked by the form) is stored and handed to the task
        worker, which checks it and shows the outcome on the progress page; nothing reads
        the file in the request, so a heavy file cannot hold a web process."""
        if request.method == "POST" and self.has_import_permission(request):
            form = self.create_import_form(request)
            if form.is_valid():
                file_format = self.get_import_formats()[int(form.cleaned_data["format"])]
                upload = form.cleaned_data["import_file"]
                record = importrecord_create(
                    actor=request.user,
                    resource_class=self.choose_import_resource_class(form, request),
                    register=str(self.model._meta.verbose_name),
                    file_name=upload.name,
                    file_format=format_key(file_format()),
                    data=b"".join(upload.chunks()),
                    state=ImportRecord.State.PREVIEW_QUEUED,
                    total_rows=0,
                )
                importrecord_enqueue(record=record, dry_run=True)
                return redirect("admin:exchange_importrecord_progress", record.pk)
        return super().import_action(request, **kwargs)

    def process_import(self, request, **kwargs):
        # The library's confirm step: every upload is confirmed on its progress page
        # instead (ImportRecordAdmin.run_view), so there is nothing to confirm here.
        messages.error(
            request,
            "取り込むファイルが見つかりません。もう一度ファイルを選んでください。",
        )
        info = (self.opts.app_label, self.opts.model_name)
        return redirect(f"admin:{info[0]}_{info[1]}_import")


@admin.register(ImportRecord)
class ImportRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """取り込み履歴: read-only; each user sees their own imports unless allowed to see all."""

    list_display = [
        era_column("created_at", "受付日時"),
        "file_name",
        "register",
        "user",
        "state",
        "counts_display",
        "progress_link",
    ]
    list_filter = ["register", "state"]
    list_select_related = ["user"]
    search_fields = ["file_name", "user__username"]
    # The JSON columns are shown as sentences (counts_display, messages_display).
    exclude = ["file_data", "counts", "messages"]
    readonly_fields = ["counts_display", "messages_display"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).defer("file_data")
        if request.user.has_perm("exchange.view_importrecord"):
            return queryset
        return queryset.filter(user=request.user)

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None) -> bool:
        if request.user.has_perm("exchange.view_importrecord"):
            return True
        return request.user.is_staff and (obj is None or obj.user_id == request.user.pk)

    @admin.display(description="件数")
    def counts_display(self, record: ImportRecord) -> str:
        return record.counts_text

    @admin.display(description="誤り")
    def messages_display(self, record: ImportRecord):
        return format_html_join("\n", "<p>{}</p>", ((message,) for message in record.messages))

    @admin.display(description="経過")
    def progress_link(self, record: ImportRecord):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:exchange_importrecord_progress", args=[record.pk]),
            "経過を見る",
        )

    def get_urls(self):
        urls = [
            path(
                "<int:pk>/progress/",
                self.admin_site.admin_view(self.progress_view),
                name="exchange_importrecord_progress",
            ),
            path(
                "<int:pk>/progress.json",
                self.admin_site.admin_view(self.progress_json),
                name="exchange_importrecord_progress_json",
            ),
            path(
                "<int:pk>/run/",
                self.admin_site.admin_view(self.run_view),
                name="exchange_importrecord_run",
            ),
            path(
                "<int:pk>/retry/",
                self.admin_site.admin_view(self.retry_view),
                name="exchange_importrecord_retry",
            ),
        ]
        return urls + super().get_urls()

    def _get_record(self, request, pk: int) -> ImportRecord:
        record = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_permission(request, record):
            raise PermissionDenied
        return record

    def progress_view(self, request, pk: int):
        record = self._get_record(request, pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"取り込みの経過: {record.file_name}",
            "record": record,
            "can_run": record.state == ImportRecord.State.PREVIEWED
            and record.user_id == request.user.pk,
            "can_retry": record.is_retryable and record.may_be_retried_by(request.user),
        }
        return TemplateResponse(request, "admin/exchange/importrecord/progress.html", context)

    def progress_json(self, request, pk: int):
        record = self._get_record(request, pk)
        return JsonResponse(
            {
                "state": record.state,
                "state_label": record.get_state_display(),
                "processed_rows": record.processed_rows,
                "total_rows": record.total_rows,
                "percent": record.percent,
                "working": record.is_working,
            }
        )

    @method_decorator(require_POST)
    def run_view(self, request, pk: int):
        record = self._get_record(request, pk)
        if record.user_id != request.user.pk or record.state != ImportRecord.State.PREVIEWED:
            raise PermissionDenied
        importrecord_enqueue(record=record, dry_run=False)
        return redirect("admin:exchange_importrecord_progress", record.pk)

    @method_decorator(require_POST)
    def retry_view(self, request, pk: int):
        record = self._get_record(request, pk)
        try:
            importrecord_retry(actor=request.user, record=record)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("admin:exchange_importrecord_progress", record.pk)


@admin.register(ExportRecord)
class ExportRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """書き出し履歴: the large exports the task worker wrote; each user sees their own
    (superusers every one), and only they may download the file."""

    list_display = [
        era_column("created_at", "受付日時"),
        "file_name",
        "register",
        "user",
        "state",
        "total_rows",
        "progress_link",
    ]
    list_filter = ["register", "state"]
    list_select_related = ["user"]
    exclude = ["file"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None) -> bool:
        if not (request.user.is_active and request.user.is_staff):
            return False
        return obj is None or request.user.is_superuser or obj.user_id == request.user.pk

    @admin.display(description="経過")
    def progress_link(self, record: ExportRecord):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:exchange_exportrecord_progress", args=[record.pk]),
            "経過を見る",
        )

    def get_urls(self):
        urls = [
            path(
                "<int:pk>/progress/",
                self.admin_site.admin_view(self.progress_view),
                name="exchange_exportrecord_progress",
            ),
            path(
                "<int:pk>/file/",
                self.admin_site.admin_view(self.file_view),
                name="exchange_exportrecord_file",
            ),
        ]
        return urls + super().get_urls()

    def _get_record(self, request, pk: int) -> ExportRecord:
        # Someone else's export is not found, rather than forbidden: its name is theirs.
        return get_object_or_404(self.get_queryset(request), pk=pk)

    def progress_view(self, request, pk: int):
        record = self._get_record(request, pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"書き出しの経過: {record.file_name}",
            "record": record,
        }
        return TemplateResponse(request, "admin/exchange/exportrecord/progress.html", context)

    def file_view(self, request, pk: int):
        record = self._get_record(request, pk)
        if record.state != ExportRecord.State.DONE:
            raise Http404("書き出したファイルはまだありません。")
        if not record.file_exists:
            # Pruned after its retention, or lost with a restore: say so in Japanese.
            context = {**self.admin_site.each_context(request), "record": record}
            return TemplateResponse(
                request, "admin/exchange/exportrecord/file_gone.html", context, status=410
            )
        response = FileResponse(
            record.file.open("rb"), content_type=FORMATS[record.file_format]().get_content_type()
        )
        response["Content-Disposition"] = content_disposition(
            record.file_name, fallback=record.fallback_file_name
        )
        return response
