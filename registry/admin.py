from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportMixin
from import_export.forms import ImportForm

from accesslog.models import AccessEvent
from accesslog.services import access_record
from registry.imports import (
    ImportFileError,
    SpreadsheetCSV,
    SpreadsheetXLSX,
    check_file_size,
    format_key,
    importrecord_create,
    importrecord_enqueue,
    importrecord_retry,
    importrecord_run,
)
from registry.models import Business, ImportRecord, Organization, Section, StaffMember
from registry.resources import BusinessResource, OrganizationResource, SectionResource
from registry.uploads import (
    pending_forget,
    pending_is_issued,
    pending_remember,
    pending_remove,
)

# --- spreadsheet import and export ----------------------------------------------------


class RegisterImportForm(ImportForm):
    """The upload form, refusing an oversized file before anything reads it."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        try:
            check_file_size(upload.size)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        return upload


class RegisterImportExportMixin(ImportExportMixin):
    """Import and export buttons for a register: XLSX or CSV, previewed, all or nothing,
    recorded in 取り込み履歴. Files with more than IMPORT_BACKGROUND_ROWS rows are checked
    and imported by the task worker while the browser shows the progress."""

    import_formats = [SpreadsheetXLSX, SpreadsheetCSV]
    export_formats = [SpreadsheetXLSX, SpreadsheetCSV]
    import_form_class = RegisterImportForm
    import_error_display = ("message",)
    import_template_name = "admin/registry/import.html"

    def get_import_context_data(self, **kwargs):
        return {
            "import_max_rows": f"{settings.IMPORT_MAX_ROWS:,}",
            "import_max_megabytes": f"{settings.IMPORT_MAX_FILE_SIZE / (1024 * 1024):.0f}",
            "import_background_rows": f"{settings.IMPORT_BACKGROUND_ROWS:,}",
        }

    def get_import_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def get_export_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def get_export_data(self, file_format, request, queryset, **kwargs):
        # Exports carry personal data: the access log names each record written out.
        access_record(
            request=request,
            action=AccessEvent.Action.EXPORT,
            model=self.model,
            ids=queryset.values_list("pk", flat=True),
        )
        return super().get_export_data(file_format, request, queryset, **kwargs)

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ImportFileError):
            form.add_error("import_file", str(e))
        else:
            form.add_error(
                "import_file", "ファイルを読めません。形式（XLSX／CSV）を確かめてください。"
            )

    def import_action(self, request, **kwargs):
        if request.method == "POST" and self.has_import_permission(request):
            form = self.create_import_form(request)
            if form.is_valid():
                file_format = self.get_import_formats()[int(form.cleaned_data["format"])]
                upload = form.cleaned_data["import_file"]
                data = b"".join(upload.chunks())
                try:
                    dataset = file_format().create_dataset(data)
                except ImportFileError:
                    dataset = None  # the library's form shows the same message
                if dataset is not None and len(dataset) > settings.IMPORT_BACKGROUND_ROWS:
                    record = importrecord_create(
                        actor=request.user,
                        resource_class=self.choose_import_resource_class(form, request),
                        register=str(self.model._meta.verbose_name),
                        file_name=upload.name,
                        file_format=format_key(file_format()),
                        data=data,
                        state=ImportRecord.State.PREVIEW_QUEUED,
                        total_rows=len(dataset),
                    )
                    importrecord_enqueue(record=record, dry_run=True)
                    return redirect("admin:registry_importrecord_progress", record.pk)
        response = super().import_action(request, **kwargs)
        # The library kept the upload for the confirm step: bind its name to this user's
        # session, or remove it at once when the preview refused the file.
        upload = request.FILES.get("import_file")
        name = getattr(upload, "tmp_storage_name", None)
        if name:
            context = getattr(response, "context_data", None) or {}
            if "confirm_form" in context:
                pending_remember(session=request.session, name=name)
            else:
                pending_remove(name=name)
        return response

    def process_import(self, request, **kwargs):
        name = request.POST.get("import_file_name", "")
        if not pending_is_issued(session=request.session, name=name):
            messages.error(
                request,
                "取り込むファイルが見つかりません。確認画面を開き直すか、"
                "もう一度ファイルを選んでください。",
            )
            info = (self.opts.app_label, self.opts.model_name)
            return redirect(f"admin:{info[0]}_{info[1]}_import")
        pending_forget(session=request.session, name=name)
        return super().process_import(request, **kwargs)

    def process_dataset(self, dataset, form, request, **kwargs):
        """The confirmed import of a small file, run here through the same recorded,
        all-or-nothing step as a background one."""
        file_format = self.get_import_formats()[int(form.cleaned_data["format"])]
        record = importrecord_create(
            actor=request.user,
            resource_class=self.choose_import_resource_class(form, request),
            register=str(self.model._meta.verbose_name),
            file_name=kwargs.get("file_name") or form.cleaned_data.get("original_file_name") or "",
            file_format=format_key(file_format()),
            data=b"",
            state=ImportRecord.State.RUNNING,
            total_rows=len(dataset),
        )
        record.file_size = None
        request.import_record = record
        # The library's admin log entries need the saved instances.
        return importrecord_run(
            record=record, dry_run=False, dataset=dataset, retain_instance_in_row_result=True
        )

    def process_result(self, result, request):
        record = request.import_record
        if result is None or record.state != ImportRecord.State.DONE:
            messages.error(request, "取り込めませんでした。何も保存していません。")
            return redirect("admin:registry_importrecord_progress", record.pk)
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        totals = result.totals
        messages.success(
            request,
            f"取り込みました: 新規 {totals['new']}件・変更 {totals['update']}件・"
            f"変更なし {totals['skip']}件（{request.import_record.file_name}）。",
        )


@admin.register(ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin):
    """取り込み履歴: read-only; each user sees their own imports unless allowed to see all."""

    list_display = ["created_at", "file_name", "register", "user", "state", "progress_link"]
    list_filter = ["register", "state"]
    list_select_related = ["user"]
    search_fields = ["file_name", "user__username"]
    exclude = ["file_data"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).defer("file_data")
        if request.user.has_perm("registry.view_importrecord"):
            return queryset
        return queryset.filter(user=request.user)

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None) -> bool:
        if request.user.has_perm("registry.view_importrecord"):
            return True
        return request.user.is_staff and (obj is None or obj.user_id == request.user.pk)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="経過")
    def progress_link(self, record: ImportRecord):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:registry_importrecord_progress", args=[record.pk]),
            "経過を見る",
        )

    def get_urls(self):
        urls = [
            path(
                "<int:pk>/progress/",
                self.admin_site.admin_view(self.progress_view),
                name="registry_importrecord_progress",
            ),
            path(
                "<int:pk>/progress.json",
                self.admin_site.admin_view(self.progress_json),
                name="registry_importrecord_progress_json",
            ),
            path(
                "<int:pk>/run/",
                self.admin_site.admin_view(self.run_view),
                name="registry_importrecord_run",
            ),
            path(
                "<int:pk>/retry/",
                self.admin_site.admin_view(self.retry_view),
                name="registry_importrecord_retry",
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
            "can_retry": record.state == ImportRecord.State.FAILED
            and bool(record.file_data)
            and record.user_id == request.user.pk,
        }
        return TemplateResponse(request, "admin/registry/importrecord/progress.html", context)

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
        return redirect("admin:registry_importrecord_progress", record.pk)

    @method_decorator(require_POST)
    def retry_view(self, request, pk: int):
        record = self._get_record(request, pk)
        try:
            importrecord_retry(actor=request.user, record=record)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("admin:registry_importrecord_progress", record.pk)


class BusinessInline(admin.TabularInline):
    model = Business
    extra = 0
    fields = ["number", "name"]


@admin.register(Section)
class SectionAdmin(RegisterImportExportMixin, admin.ModelAdmin):
    resource_classes = [SectionResource]
    list_display = ["__str__", "manager_title", "business_count"]
    search_fields = ["department", "name"]
    inlines = [BusinessInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(business_count=Count("businesses"))

    @admin.display(description="業務数", ordering="business_count")
    def business_count(self, section: Section) -> int:
        return section.business_count


@admin.register(Business)
class BusinessAdmin(RegisterImportExportMixin, admin.ModelAdmin):
    resource_classes = [BusinessResource]
    list_display = ["number", "name", "section"]
    list_filter = ["section"]
    list_select_related = ["section"]
    search_fields = ["number", "name", "section__name"]


@admin.register(Organization)
class OrganizationAdmin(RegisterImportExportMixin, admin.ModelAdmin):
    resource_classes = [OrganizationResource]
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
