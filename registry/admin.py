from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportMixin
from import_export.forms import ImportForm, SelectableFieldsExportForm
from simple_history.admin import SimpleHistoryAdmin

from accesslog.models import AccessEvent
from accesslog.services import access_record
from notation.admin_eras import era_column
from printing.admin import ReadOnlyAdminMixin
from registry import citations, services
from registry.commands import export_file_name
from registry.history import audit_entries
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

# --- saving through the services -------------------------------------------------------


class LabelledTabularInline(admin.TabularInline):
    """A tabular inline whose inputs carry their column's name (aria-label): the admin
    shows it only as the column header, so a screen reader announced an unnamed field."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None:
            formfield.widget.attrs.setdefault("aria-label", str(formfield.label))
        return formfield


class AuditedAdmin(SimpleHistoryAdmin):
    """An admin page whose every save goes through the record's service: save_model and
    save_formset turn the validated forms into data and hand it, with the user, to the
    service, which checks the user's role, locks the row and writes the history. A
    refusal is shown on the page (the whole save rolled back), never a server error.
    Nothing is deleted here. The history page lists each change, field by field, in
    Japanese."""

    object_history_template = "admin/registry/audit_history.html"

    def service_save(self, request, obj, form, change):
        """Create or change obj through its service; return the saved record."""
        raise NotImplementedError

    @staticmethod
    def form_data(form, change: bool) -> dict:
        """What the form sets: every field on creation, the changed ones on a change (a
        field nobody touched is not written back over someone else's save)."""
        names = form.changed_data if change else list(form.cleaned_data)
        return {
            name: form.cleaned_data[name]
            for name in names
            if name in form.cleaned_data and name not in ("id", "DELETE")
        }

    def save_model(self, request, obj, form, change):
        saved = self.service_save(request, obj, form, change)
        # The admin goes on with obj (messages, redirect, inline rows): make it the saved row.
        for field in obj._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        # The service wrote the many-to-many lists; inline rows go through save_formset.
        for formset in formsets:
            # The admin's log message reads these; the history has the details.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        if formset.has_changed():
            raise PermissionDenied("この一覧はここでは変更できません。")

    @staticmethod
    def inline_rows(formset):
        """(existing row or None, data, deleted) for each inline form with a change."""
        for inline_form in formset.forms:
            instance = inline_form.instance if inline_form.instance.pk else None
            if inline_form in formset.deleted_forms:
                if instance is not None:
                    yield instance, {}, True
                continue
            if not inline_form.has_changed():
                continue
            data = AuditedAdmin.form_data(inline_form, change=instance is not None)
            data.pop(formset.fk.name, None)
            yield instance, data, False

    def has_delete_permission(self, request, obj=None) -> bool:
        # Deleting would bypass the service (its rights check, lock and history) and
        # erase what answers, records and reports cite; registers end by their dates.
        return False

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            # Raised inside the admin's transaction, so nothing of the save remains.
            for message in error.messages:
                messages.error(request, f"保存できませんでした: {message}")
            return HttpResponseRedirect(request.get_full_path())

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        if obj is not None:
            extra_context.setdefault("title", f"変更履歴: {obj}")
            if "history" not in extra_context:
                extra_context["history"] = audit_entries(obj)
        return super().history_view(request, object_id, extra_context)


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
    recorded in 取り込み履歴. Files with more than IMPORT_BACKGROUND_ROWS rows are checked
    and imported by the task worker while the browser shows the progress."""

    import_formats = [SpreadsheetXLSX, SpreadsheetCSV]
    export_formats = [SpreadsheetXLSX, SpreadsheetCSV]
    import_form_class = RegisterImportForm
    import_error_display = ("message",)
    import_template_name = "admin/registry/import.html"
    export_form_class = RegisterExportForm
    export_template_name = "admin/registry/export.html"

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

    def get_export_filename(self, request, queryset, file_format):
        return export_file_name(self.model, file_format.get_extension())

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        response = super()._do_file_export(file_format, request, queryset, export_form)
        # The library quotes the name as it is; a Japanese name needs RFC 6266's filename*.
        response["Content-Disposition"] = content_disposition_header(
            True, self.get_export_filename(request, queryset, file_format)
        )
        return response

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
        if request.user.has_perm("registry.view_importrecord"):
            return queryset
        return queryset.filter(user=request.user)

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None) -> bool:
        if request.user.has_perm("registry.view_importrecord"):
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


class CitingRecordsAdmin(RegisterImportExportMixin, AuditedAdmin):
    """A shared register: its change page lists the records that cite the row (a change
    shows on them), and a save names those records so their sections can amend them."""

    change_form_template = "admin/registry/citing_change_form.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        if obj is not None:
            extra_context["citations"] = citations.citing_records(obj)
        return super().change_view(request, object_id, form_url, extra_context)

    def response_change(self, request, obj):
        cited = citations.citing_records(obj)
        if cited:
            names = "、".join(str(c) for c in cited[:10])
            more = f" ほか{len(cited) - 10}件" if len(cited) > 10 else ""
            messages.warning(
                request,
                f"この{obj._meta.verbose_name}を記載している記録票が{len(cited)}件あります:"
                f" {names}{more}。記録票の内容を合わせる必要がある場合は、"
                "所管課が記録票の変更の手続きをしてください。",
            )
        return super().response_change(request, obj)


class BusinessInline(LabelledTabularInline):
    model = Business
    extra = 0
    fields = ["number", "name"]
    can_delete = False


@admin.register(Section)
class SectionAdmin(CitingRecordsAdmin):
    resource_classes = [SectionResource]
    list_display = ["__str__", "manager_title", "business_count"]
    search_fields = ["department", "name"]
    inlines = [BusinessInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(business_count=Count("businesses"))

    @admin.display(description="業務数", ordering="business_count")
    def business_count(self, section: Section) -> int:
        return section.business_count

    def service_save(self, request, obj, form, change):
        data = self.form_data(form, change)
        if change:
            return services.section_update(actor=request.user, section=obj, data=data)
        return services.section_create(actor=request.user, data=data)

    def save_formset(self, request, form, formset, change):
        for business, data, _deleted in self.inline_rows(formset):
            if business is None:
                services.business_create(actor=request.user, data=data | {"section": form.instance})
            else:
                services.business_update(actor=request.user, business=business, data=data)


@admin.register(Business)
class BusinessAdmin(CitingRecordsAdmin):
    resource_classes = [BusinessResource]
    list_display = ["number", "name", "section"]
    list_filter = ["section"]
    list_select_related = ["section"]
    search_fields = ["number", "name", "section__name"]

    def service_save(self, request, obj, form, change):
        data = self.form_data(form, change)
        if change:
            return services.business_update(actor=request.user, business=obj, data=data)
        return services.business_create(actor=request.user, data=data)


@admin.register(Organization)
class OrganizationAdmin(CitingRecordsAdmin):
    resource_classes = [OrganizationResource]
    list_display = ["name", "address", "is_terms_of_service"]
    list_filter = ["is_terms_of_service"]
    search_fields = ["name", "address"]

    def service_save(self, request, obj, form, change):
        data = self.form_data(form, change)
        if change:
            return services.organization_update(actor=request.user, organization=obj, data=data)
        return services.organization_create(actor=request.user, data=data)


@admin.register(StaffMember)
class StaffMemberAdmin(AuditedAdmin):
    list_display = ["user", "section"]
    list_filter = ["section"]
    list_select_related = ["user", "section"]
    search_fields = ["user__username", "user__last_name", "section__name"]
    autocomplete_fields = ["user"]

    def service_save(self, request, obj, form, change):
        data = self.form_data(form, change)
        if change:
            return services.staff_member_update(actor=request.user, staff_member=obj, data=data)
        return services.staff_member_create(actor=request.user, data=data)
